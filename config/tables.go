package config

// TableRegister is the key of the platform register table.
const TableRegister = "register"

// Table is an input table that ingest looks for on every sheet: the platform
// register, or one programme's annual report table (the common report columns
// followed by the programme's input indicators).
type Table struct {
	Key     string // TableRegister or a programme key
	Name    string
	Columns []Column
}

// Tables returns the register table first, then each programme's report table in
// programme order.
func (c *Config) Tables() []Table {
	tables := []Table{{Key: TableRegister, Name: c.Register.Name, Columns: c.Register.Columns}}
	for _, key := range c.order {
		p := c.Programmes[key]
		cols := append([]Column(nil), c.ReportColumns...)
		for _, ind := range p.Inputs() {
			cols = append(cols, ind.column())
		}
		tables = append(tables, Table{Key: key, Name: p.Name, Columns: cols})
	}
	return tables
}

// column is the input column an indicator is read from.
func (ind *Indicator) column() Column {
	return Column{
		Key: ind.Key, Name: ind.Name, Aliases: ind.Aliases, Kind: ind.Kind,
		Unit: ind.Unit, Required: ind.Required, Min: ind.Min, Max: ind.Max,
	}
}

// EnumValues returns the accepted values of an enumerated column kind: the
// programmes (code = programme key), every programme's sub-types, or the leagues.
func (c *Config) EnumValues(kind string) []EnumValue {
	switch kind {
	case KindProgramme:
		vals := make([]EnumValue, 0, len(c.order))
		for _, key := range c.order {
			p := c.Programmes[key]
			vals = append(vals, EnumValue{Code: key, Name: p.Name, Aliases: p.Aliases, Clause: p.Clause})
		}
		return vals
	case KindSubtype:
		var vals []EnumValue
		for _, key := range c.order {
			vals = append(vals, c.Programmes[key].Subtypes...)
		}
		return vals
	case KindLeague:
		return c.Leagues
	}
	return nil
}

// Enumerated reports whether a column kind takes its values from EnumValues.
func Enumerated(kind string) bool {
	return kind == KindProgramme || kind == KindSubtype || kind == KindLeague
}

// Numeric reports whether a column kind holds a number.
func Numeric(kind string) bool {
	return kind == KindNumber || kind == KindCount || kind == KindPercent
}
