package config

// Keys of the input tables with fixed columns; a programme's report table has
// the programme's key.
const (
	TableRegister     = "register"
	TableEvents       = "events"
	TableExpertScores = "expert_scores"
	TablePublished    = "published_results"
)

// fixedTables are the keys a programme may not take.
var fixedTables = []string{TableRegister, TableEvents, TableExpertScores, TablePublished}

// Table is an input table that ingest looks for on every sheet: the platform
// register, or one programme's annual report table (the common report columns
// followed by the programme's input indicators).
type Table struct {
	Key     string // TableRegister or a programme key
	Name    string
	Columns []Column
}

// Tables returns the tables of a run's input: the register, the events and the
// expert scores, then each programme's report table in programme order.
func (c *Config) Tables() []Table {
	tables := []Table{
		{Key: TableRegister, Name: c.Register.Name, Columns: c.Register.Columns},
		{Key: TableEvents, Name: c.Events.Name, Columns: c.Events.Columns},
		{Key: TableExpertScores, Name: c.ExpertScores.Name, Columns: c.ExpertScores.Columns},
	}
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

// PublishedTable is the table of published results that seeds the history.
func (c *Config) PublishedTable() Table {
	return Table{Key: TablePublished, Name: c.PublishedResults.Name, Columns: c.PublishedResults.Columns}
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
	case KindEvent:
		return c.EventTypes
	case KindStatus:
		return c.Statuses
	case KindGrade:
		// Every grade name once; a name means one code everywhere (validated).
		var vals []EnumValue
		seen := map[string]bool{}
		for _, key := range c.order {
			for _, a := range c.Programmes[key].AssessmentList() {
				for _, g := range a.Grades {
					if !seen[g.Name] {
						seen[g.Name] = true
						vals = append(vals, EnumValue{Code: g.Code, Name: g.Name})
					}
				}
			}
		}
		return vals
	}
	return nil
}

// Enumerated reports whether a column kind takes its values from EnumValues.
func Enumerated(kind string) bool {
	switch kind {
	case KindProgramme, KindSubtype, KindLeague, KindEvent, KindGrade, KindStatus:
		return true
	}
	return false
}

// Numeric reports whether a column kind holds a number.
func Numeric(kind string) bool {
	return kind == KindNumber || kind == KindCount || kind == KindPercent
}
