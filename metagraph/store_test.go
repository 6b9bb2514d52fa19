package metagraph

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/yuma-go/yuma/internal/badinput"
)

func sample(netuid int, block uint64) *Snapshot {
	return &Snapshot{
		Netuid: netuid, Block: block, N: 3,
		Stake:           []float64{10, 0, 5.5},
		Weights:         []Row{{UID: 0, Entries: []Entry{{1, 65535}, {2, 0}}}, {UID: 2, Entries: []Entry{{1, 100}}}},
		ValidatorPermit: []bool{true, false, true},
		LastUpdate:      []uint64{block - 1, 0, block - 10},
		YumaVersion:     "yuma2",
	}
}

func TestStoreRoundTrip(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "s.db")
	st, err := OpenStore(path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, b := range []uint64{300, 100, 200} {
		if err := st.Put(ctx, sample(31, b)); err != nil {
			t.Fatal(err)
		}
	}
	// Idempotent upsert: a second Put of the same key replaces it.
	changed := sample(31, 200)
	changed.Stake[1] = 7
	if err := st.Put(ctx, changed); err != nil {
		t.Fatal(err)
	}
	if err := st.Put(ctx, sample(15, 100)); err != nil {
		t.Fatal(err)
	}
	got, err := st.Get(ctx, 31, 200)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, changed) {
		t.Fatalf("Get = %+v, want %+v", got, changed)
	}
	blocks, err := st.Blocks(ctx, 31, 0, 0)
	if err != nil || !reflect.DeepEqual(blocks, []uint64{100, 200, 300}) {
		t.Fatalf("Blocks = %v, %v", blocks, err)
	}
	blocks, _ = st.Blocks(ctx, 31, 150, 250)
	if !reflect.DeepEqual(blocks, []uint64{200}) {
		t.Fatalf("Blocks[150,250] = %v", blocks)
	}
	subs, _ := st.Subnets(ctx)
	if !reflect.DeepEqual(subs, []int{15, 31}) {
		t.Fatalf("Subnets = %v", subs)
	}
	if ok, _ := st.Has(ctx, 31, 100); !ok {
		t.Fatal("Has(31,100) = false")
	}
	if ok, _ := st.Has(ctx, 31, 101); ok {
		t.Fatal("Has(31,101) = true")
	}
	if _, err := st.Get(ctx, 31, 101); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get missing: %v", err)
	}
	// Reopen: data persists.
	st.Close()
	st2, err := OpenStore(path)
	if err != nil {
		t.Fatal(err)
	}
	defer st2.Close()
	if ok, _ := st2.Has(ctx, 15, 100); !ok {
		t.Fatal("reopened store lost data")
	}
}

func TestStorePutAllIsAtomic(t *testing.T) {
	ctx := context.Background()
	st, err := OpenStore(filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	bad := sample(31, 2)
	bad.Weights[0].Entries[0][1] = 70000
	err = st.PutAll(ctx, []*Snapshot{sample(31, 1), bad})
	if !badinput.Is(err) {
		t.Fatalf("want bad input, got %v", err)
	}
	blocks, _ := st.Blocks(ctx, 31, 0, 0)
	if len(blocks) != 0 {
		t.Fatalf("half-written store: %v", blocks)
	}
	// A cancelled context aborts before anything is committed.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if err := st.PutAll(cctx, []*Snapshot{sample(31, 1)}); err == nil {
		t.Fatal("cancelled PutAll succeeded")
	}
	if blocks, _ := st.Blocks(ctx, 31, 0, 0); len(blocks) != 0 {
		t.Fatalf("cancelled PutAll wrote %v", blocks)
	}
}

func TestStoreRefusesNewerSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.db")
	st, err := OpenStore(path)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("PRAGMA user_version = 99"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	_, err = OpenStore(path)
	var be *badinput.Error
	if !errors.As(err, &be) || be.Field != "schema_version" {
		t.Fatalf("newer schema: got %v", err)
	}
}

func TestStoreRejectsGarbageFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "junk.db")
	if err := os.WriteFile(path, []byte("this is definitely not an SQLite database, just text padding it out well beyond the header size....."), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := OpenStore(path); !badinput.Is(err) {
		t.Fatalf("garbage store: got %v", err)
	}
	if _, err := OpenStore(dir); !badinput.Is(err) {
		t.Fatalf("directory store: got %v", err)
	}
}

func TestStoreConcurrentWriters(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "s.db")
	st, err := OpenStore(path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	other, err := OpenStore(path) // a second handle, as a second process would have
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	errs := make(chan error, 16)
	for g := 0; g < 8; g++ {
		go func(g int) {
			s := st
			if g%2 == 1 {
				s = other
			}
			for b := 0; b < 10; b++ {
				if err := s.Put(ctx, sample(1, uint64(100+g*10+b))); err != nil {
					errs <- err
					return
				}
				if _, err := s.Blocks(ctx, 1, 0, 0); err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		}(g)
	}
	for g := 0; g < 8; g++ {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	blocks, err := st.Blocks(ctx, 1, 0, 0)
	if err != nil || len(blocks) != 80 {
		t.Fatalf("%d blocks, %v", len(blocks), err)
	}
}
