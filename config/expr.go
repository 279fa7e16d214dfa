package config

import (
	"fmt"
	"sort"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/vm"
)

// SubtypeVar is the name under which rules see a platform's sub-type code.
const SubtypeVar = "subtype"

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
	out, err := expr.Run(e.program, env)
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
