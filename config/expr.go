package config

import (
	"fmt"
	"sort"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/vm"
)

// Names under which rules see what is not an indicator or parameter.
const (
	SubtypeVar  = "subtype" // the platform's sub-type code
	StatusVar   = "status"  // funds only: the status after the year (active, rectifying, revoked)
	PrevPrefix  = "prev_"   // prev_<indicator>: the previous year's value, from the history
	GradePrefix = "grade_"  // funds only: grade_<assessment>, the year's grade code or ""
)

// ruleEnv maps every variable a gate or formula of the programme may read to a
// value of its type, for type-checking.
func ruleEnv(p *Programme) map[string]any {
	env := map[string]any{SubtypeVar: ""}
	for name := range p.Params {
		env[name] = 0.0
	}
	for _, ind := range p.Indicators {
		env[ind.Key] = 0.0
		env[PrevPrefix+ind.Key] = 0.0
	}
	return env
}

// fundEnv is ruleEnv with the year's grades and status, which funds also read.
func fundEnv(p *Programme) map[string]any {
	env := ruleEnv(p)
	env[StatusVar] = ""
	for key := range p.Assessments {
		env[GradePrefix+key] = ""
	}
	return env
}

// Expr is a rule or formula from the configuration, compiled and type-checked
// against the programme's variables when the configuration loads.
type Expr struct {
	Source  string
	names   []string // variables the expression reads, sorted, without duplicates
	program *vm.Program
}

// Names returns the variables the expression reads.
func (e *Expr) Names() []string { return e.names }

// Eval runs the expression on a platform's variables.
func (e *Expr) Eval(env map[string]any) (any, error) {
	var m Machine
	return m.Eval(e, env)
}

// Machine runs expressions one after another, reusing its stack between
// them: one per goroutine, for the many rules of many platforms.
type Machine struct{ vm vm.VM }

// Eval runs expression e on a platform's variables.
func (m *Machine) Eval(e *Expr, env map[string]any) (any, error) {
	out, err := m.vm.Run(e.program, env)
	if err != nil {
		return nil, fmt.Errorf("evaluate %q: %w", e.Source, err)
	}
	return out, nil
}

// exprKind is what an expression must return.
type exprKind int

const (
	exprBool exprKind = iota
	exprNumber
)

// compileExpr compiles src against env, which maps every variable to a value of
// its type; a name outside env or a type mismatch is an error.
func compileExpr(src string, env map[string]any, want exprKind) (*Expr, error) {
	opts := []expr.Option{expr.Env(env)}
	if want == exprBool {
		opts = append(opts, expr.AsBool())
	} else {
		opts = append(opts, expr.AsFloat64())
	}
	program, err := expr.Compile(src, opts...)
	if err != nil {
		return nil, err
	}
	node := program.Node()
	var v identVisitor
	ast.Walk(&node, &v)
	return &Expr{Source: src, names: v.sorted(), program: program}, nil
}

// identVisitor collects the identifiers of an expression.
type identVisitor struct{ seen map[string]bool }

func (v *identVisitor) Visit(n *ast.Node) {
	if id, ok := (*n).(*ast.IdentifierNode); ok {
		if v.seen == nil {
			v.seen = map[string]bool{}
		}
		v.seen[id.Value] = true
	}
}

func (v *identVisitor) sorted() []string {
	names := make([]string, 0, len(v.seen))
	for n := range v.seen {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
