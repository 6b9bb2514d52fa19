package epoch

// sum returns Σ x with four independent accumulators, so the additions do not
// wait on one another.
func sum(x []float64) float64 {
	var s0, s1, s2, s3 float64
	n := len(x) &^ 3
	for k := 0; k < n; k += 4 {
		s0 += x[k]
		s1 += x[k+1]
		s2 += x[k+2]
		s3 += x[k+3]
	}
	for k := n; k < len(x); k++ {
		s0 += x[k]
	}
	return (s0 + s1) + (s2 + s3)
}

// dot returns Σ a_k b_k (len(b) ≥ len(a)) with four independent accumulators.
func dot(a, b []float64) float64 {
	b = b[:len(a)]
	var s0, s1, s2, s3 float64
	n := len(a) &^ 3
	for k := 0; k < n; k += 4 {
		s0 += a[k] * b[k]
		s1 += a[k+1] * b[k+1]
		s2 += a[k+2] * b[k+2]
		s3 += a[k+3] * b[k+3]
	}
	for k := n; k < len(a); k++ {
		s0 += a[k] * b[k]
	}
	return (s0 + s1) + (s2 + s3)
}

// clipRow clips one validator's weights at the consensus c and returns the
// validator trust Σ_j min(w_j, c_j). It writes the bond input W̃_j into wb
// and adds s·min(w_j, c_j) to the ranks r and, unless ds is nil, s·W̃_j to ds.
// As on chain (chain-epoch.md section 4 step 9), W̃ is exactly the clipped
// weight when β = 1 and the weight when β = 0 (which x + 0·(cl − x) gives),
// otherwise w + β (min(w, c) − w). Two trust accumulators let the additions
// overlap.
func clipRow(w, c, wb, r, ds []float64, s, beta float64) float64 {
	n := len(w)
	c, wb, r = c[:n], wb[:n], r[:n]
	var t0, t1 float64
	switch {
	case beta == 1:
		if ds != nil {
			ds = ds[:n]
		}
		j := 0
		for ; j+2 <= n; j += 2 {
			c0, c1 := min(w[j], c[j]), min(w[j+1], c[j+1])
			wb[j], wb[j+1] = c0, c1
			t0 += c0
			t1 += c1
			r[j] += s * c0
			r[j+1] += s * c1
			if ds != nil {
				ds[j] += s * c0
				ds[j+1] += s * c1
			}
		}
		if j < n {
			cl := min(w[j], c[j])
			wb[j] = cl
			t0 += cl
			r[j] += s * cl
			if ds != nil {
				ds[j] += s * cl
			}
		}
	default:
		j := 0
		for ; j+2 <= n; j += 2 {
			x0, x1 := w[j], w[j+1]
			c0, c1 := min(x0, c[j]), min(x1, c[j+1])
			b0, b1 := x0+beta*(c0-x0), x1+beta*(c1-x1)
			wb[j], wb[j+1] = b0, b1
			t0 += c0
			t1 += c1
			r[j] += s * c0
			r[j+1] += s * c1
			if ds != nil {
				ds[j] += s * b0
				ds[j+1] += s * b1
			}
		}
		if j < n {
			x := w[j]
			cl := min(x, c[j])
			b := x + beta*(cl-x)
			wb[j] = b
			t0 += cl
			r[j] += s * cl
			if ds != nil {
				ds[j] += s * b
			}
		}
	}
	return t0 + t1
}

// scaleDot multiplies b by f entry by entry, in place, and returns the dot
// product of the result with u, with four independent accumulators.
func scaleDot(b, f, u []float64) float64 {
	n := len(b)
	f, u = f[:n], u[:n]
	var d0, d1, d2, d3 float64
	j := 0
	for ; j+4 <= n; j += 4 {
		y0, y1, y2, y3 := b[j]*f[j], b[j+1]*f[j+1], b[j+2]*f[j+2], b[j+3]*f[j+3]
		b[j], b[j+1], b[j+2], b[j+3] = y0, y1, y2, y3
		d0 += y0 * u[j]
		d1 += y1 * u[j+1]
		d2 += y2 * u[j+2]
		d3 += y3 * u[j+3]
	}
	for ; j < n; j++ {
		y := b[j] * f[j]
		b[j] = y
		d0 += y * u[j]
	}
	return (d0 + d1) + (d2 + d3)
}
