package metagraph_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/yuma-go/yuma/internal/badinput"
	"github.com/yuma-go/yuma/metagraph"
)

func FuzzReadPT(f *testing.F) {
	f.Add([]byte{0x80, 2, '}', '.'})
	f.Add([]byte{0x80, 2, 'K', 5, '.'})
	f.Add([]byte("(dp0\nS'netuid'\np1\nI15\ns."))
	f.Add([]byte("PK\x03\x04garbage"))
	if sdk, err := os.ReadFile(filepath.Join("testdata", "sdk_state_dict.pkl")); err == nil {
		f.Add(sdk)
	}
	orig, err := os.ReadFile(filepath.Join("testdata", "netuid15_block4769998_4769998.pt"))
	if err == nil {
		f.Add(orig[:2048])
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(t.TempDir(), "f.pkl")
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		s, err := metagraph.ReadPT(p)
		if err != nil {
			if !badinput.Is(err) {
				t.Fatalf("non-badinput error: %v", err)
			}
			return
		}
		if err := s.Validate(p); err != nil {
			t.Fatalf("ReadPT returned an invalid snapshot: %v", err)
		}
	})
}
