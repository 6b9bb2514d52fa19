package penalty

import (
	"math"
	"testing"
)

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

func TestImmediateWithCost(t *testing.T) {
	tr := Trace{
		Dividends: [][]float64{{0.5, 0.3, 0.2}, {0.4, 0.4, 0.2}, {0.1, 0.6, 0.3}},
		Effort:    [][]bool{{true, false, true}, {true, false, true}, {true, true, true}},
	}
	g, err := Immediate(tr, 0, 1, 0.05)
	if err != nil {
		t.Fatal(err)
	}
	// t0: 0.5-0.05-0.3 = 0.15; t1: 0.4-0.05-0.4 = -0.05; t2: both pay: 0.1-0.6 = -0.5
	want := []float64{0.15, -0.05, -0.5}
	for i := range want {
		if !near(g[i], want[i], 1e-15) {
			t.Errorf("G[%d] = %v, want %v", i, g[i], want[i])
		}
	}
	// Without effort flags nobody pays.
	tr.Effort = nil
	g, err = Immediate(tr, 0, 1, 0.05)
	if err != nil {
		t.Fatal(err)
	}
	if !near(g[1], 0, 1e-15) || !near(g[0], 0.2, 1e-15) {
		t.Errorf("G without effort = %v", g)
	}
	// Antisymmetric in (j, k).
	g2, _ := Immediate(tr, 1, 0, 0.05)
	for i := range g {
		if g[i] != -g2[i] {
			t.Errorf("G(j,k) = %v but G(k,j) = %v", g[i], g2[i])
		}
	}
}

func TestImmediateRejectsBadInput(t *testing.T) {
	cases := map[string]Trace{
		"empty":    {},
		"ragged":   {Dividends: [][]float64{{1, 0}, {1}}},
		"nan":      {Dividends: [][]float64{{math.NaN(), 0}}},
		"inf":      {Dividends: [][]float64{{math.Inf(1), 0}}},
		"negative": {Dividends: [][]float64{{-1, 0}}},
		"effort":   {Dividends: [][]float64{{1, 0}}, Effort: [][]bool{{true}}},
		"effort-t": {Dividends: [][]float64{{1, 0}}, Effort: [][]bool{}},
	}
	for name, tr := range cases {
		if _, err := Immediate(tr, 0, 1, 0); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	ok := Trace{Dividends: [][]float64{{1, 0}}}
	for _, jk := range [][2]int{{0, 2}, {-1, 0}} {
		if _, err := Immediate(ok, jk[0], jk[1], 0); err == nil {
			t.Errorf("validators %v: no error", jk)
		}
	}
	for _, mu := range []float64{-1, math.NaN(), math.Inf(1)} {
		if _, err := Immediate(ok, 0, 1, mu); err == nil {
			t.Errorf("mu %v: no error", mu)
		}
	}
}

func TestDiscounted(t *testing.T) {
	g := []float64{1, 2, 4}
	got, err := Discounted(g, 0.5)
	if err != nil {
		t.Fatal(err)
	}
	// 0.5*1 + 0.25*2 + 0.125*4 = 1.5
	if !near(got, 1.5, 1e-15) {
		t.Errorf("Gamma = %v, want 1.5", got)
	}
	got, _ = Discounted(g, 1)
	if got != 7 {
		t.Errorf("undiscounted Gamma = %v, want 7", got)
	}
	for _, gamma := range []float64{0, -0.1, 1.1, math.NaN()} {
		if _, err := Discounted(g, gamma); err == nil {
			t.Errorf("gamma %v: no error", gamma)
		}
	}
	if _, err := Discounted([]float64{math.NaN()}, 0.9); err == nil {
		t.Error("NaN penalty: no error")
	}
}

func TestAmplification(t *testing.T) {
	h, err := Amplification([]float64{2, 1, 3}, []float64{1, 0, 4})
	if err != nil {
		t.Fatal(err)
	}
	if h[0] != 2 || !math.IsNaN(h[1]) || h[2] != 0.75 {
		t.Errorf("H = %v", h)
	}
	if _, err := Amplification([]float64{1}, nil); err == nil {
		t.Error("length mismatch: no error")
	}
}

func TestRelativeRate(t *testing.T) {
	div := []float64{0.2, 0.3, 0.1, 0.4}
	stake := []float64{0.25, 0.25, 0.25, 0.25}
	// honest rates 0.8, 1.2, 0.4 -> median 0.8; copier 0.4/0.25 = 1.6 -> 2.
	got, err := RelativeRate(div, stake, 3, []int{0, 1, 2})
	if err != nil {
		t.Fatal(err)
	}
	if !near(got, 2, 1e-12) {
		t.Errorf("rate = %v, want 2", got)
	}
	// Even count: median of 0.8 and 1.2 is 1.0.
	got, _ = RelativeRate(div, stake, 3, []int{0, 1})
	if !near(got, 1.6, 1e-12) {
		t.Errorf("rate = %v, want 1.6", got)
	}
	bads := []struct {
		div, stake []float64
		copier     int
		honest     []int
	}{
		{div, stake[:3], 3, []int{0}},
		{div, stake, 4, []int{0}},
		{div, stake, 3, []int{3}},
		{div, stake, 3, []int{7}},
		{div, stake, 3, nil},
		{div, []float64{1, 1, 1, 0}, 3, []int{0}},
		{[]float64{0, 0, 0, 1}, stake, 3, []int{0}},
		{[]float64{math.NaN(), 0, 0, 1}, stake, 3, []int{0}},
		{div, []float64{-1, 1, 1, 1}, 3, []int{0}},
	}
	for i, b := range bads {
		if _, err := RelativeRate(b.div, b.stake, b.copier, b.honest); err == nil {
			t.Errorf("case %d: no error", i)
		}
	}
}

func TestMedianAndMean(t *testing.T) {
	x := []float64{3, 1, 2}
	if Median(x) != 2 || x[0] != 3 {
		t.Errorf("Median = %v (input %v)", Median(x), x)
	}
	if Median([]float64{4, 1, 3, 2}) != 2.5 {
		t.Error("even median")
	}
	if !math.IsNaN(Median(nil)) || !math.IsNaN(Mean(nil)) {
		t.Error("empty median/mean should be NaN")
	}
	if Mean([]float64{1, 2, 6}) != 3 {
		t.Error("mean")
	}
}

func TestFlatTrace(t *testing.T) {
	tr, err := FlatTrace([]float64{0.5, 0.3, 0.2, 0.1, 0.6, 0.3}, 3)
	if err != nil {
		t.Fatal(err)
	}
	g, err := Immediate(tr, 0, 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(g) != 2 || !near(g[0], 0.2, 1e-15) || !near(g[1], -0.5, 1e-15) {
		t.Errorf("G = %v", g)
	}
	for _, v := range []int{0, -1, 4} {
		if _, err := FlatTrace([]float64{1, 2, 3, 4, 5, 6}, v); err == nil {
			t.Errorf("validators %d: no error", v)
		}
	}
}
