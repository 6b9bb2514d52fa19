package metagraph_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/yuma-go/yuma/metagraph"
	"github.com/yuma-go/yuma/metagraph/datasets"
)

// BenchmarkLoadSN31 decodes, converts and validates the embedded SN31 history
// (100 snapshots).
func BenchmarkLoadSN31(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := datasets.Load("sn31"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkStoreSN31 writes the 100 SN31 snapshots in one transaction and
// reads them back.
func BenchmarkStoreSN31(b *testing.B) {
	snaps, err := datasets.Load("sn31")
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	st, err := metagraph.OpenStore(filepath.Join(b.TempDir(), "s.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	b.ReportAllocs()
	for b.Loop() {
		if err := st.PutAll(ctx, snaps); err != nil {
			b.Fatal(err)
		}
		got, err := st.Range(ctx, 31, 0, 0)
		if err != nil || len(got) != 100 {
			b.Fatalf("%d snapshots, %v", len(got), err)
		}
	}
}
