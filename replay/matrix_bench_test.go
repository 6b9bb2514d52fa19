package replay

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"testing"
)

// matrixDoc builds a dense matrix replay of V x M over epochs epochs.
func matrixDoc(V, M, epochs int, yuma, la string) []byte {
	r := rand.New(rand.NewPCG(7, 7))
	eps := make([]map[string]any, epochs)
	for e := range eps {
		w := make([][]float64, V)
		for i := range w {
			w[i] = make([]float64, M)
			for j := range w[i] {
				w[i][j] = float64(r.IntN(1000))
			}
		}
		eps[e] = map[string]any{"weights": w}
	}
	stake := make([]float64, V)
	for i := range stake {
		stake[i] = 1 + float64(r.IntN(1000))
	}
	eps[0]["stake"] = stake
	d, _ := json.Marshal(map[string]any{"yuma": yuma, "liquid_alpha": la, "epochs": eps})
	return d
}

// BenchmarkMatrixReplay times a whole matrix replay (parse, run, print) of
// 20 epochs at 64 validators x 256 miners; per-epoch figures are ns/op / 20.
func BenchmarkMatrixReplay(b *testing.B) {
	for _, v := range []struct{ yuma, la string }{{"yuma2", "off"}, {"yuma3", "off"}, {"yuma3", "v2"}} {
		doc := matrixDoc(64, 256, 20, v.yuma, v.la)
		b.Run(fmt.Sprintf("64x256x20/%s-%s", v.yuma, v.la), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(doc)))
			for b.Loop() {
				if err := Run(context.Background(), "b.json", doc, Options{Fields: []string{"dividends"}}, io.Discard); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	// The run alone, without parsing: the engine plus output formatting.
	doc := matrixDoc(64, 256, 20, "yuma3", "v2")
	f, err := ParseMatrix("b.json", doc)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("64x256x20/yuma3-v2/run-only", func(b *testing.B) {
		b.ReportAllocs()
		var buf bytes.Buffer
		for b.Loop() {
			buf.Reset()
			if err := RunMatrix(context.Background(), f, func(l MatrixLine) error {
				buf.Write(AppendMatrixLine(nil, l, map[string]bool{"epoch": true, "dividends": true}, f.Miners))
				return nil
			}); err != nil {
				b.Fatal(err)
			}
		}
	})
}
