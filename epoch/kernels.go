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
