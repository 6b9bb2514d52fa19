package metagraph

import (
	"bytes"
	"compress/gzip"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"net/url"
	"os"
	"strings"

	_ "modernc.org/sqlite" // pure-Go SQLite driver ("sqlite")

	"github.com/yuma-go/yuma/internal/badinput"
)

// SchemaVersion is the store schema this build writes. Stores with a higher
// version (written by a newer yuma) are refused rather than misread.
const SchemaVersion = 1

// ErrNotFound is returned (wrapped) by Get when the store holds no snapshot
// for the requested subnet and block.
var ErrNotFound = errors.New("snapshot not found")

// migrations returns the schema steps: element i upgrades a store from
// schema version i to i+1.
func migrations() []string {
	return []string{
		// 0 -> 1: one row per (netuid, block); the snapshot is gzip-compressed JSON
		// (the snapshot file format), with a few columns for queries.
		`CREATE TABLE snapshots (
		netuid INTEGER NOT NULL,
		block  INTEGER NOT NULL,
		n      INTEGER NOT NULL,
		data   BLOB    NOT NULL,
		PRIMARY KEY (netuid, block)
	) WITHOUT ROWID;`,
	}
}

// Store is a local snapshot store: one SQLite file (WAL mode) holding many
// subnets x blocks. It is safe for concurrent use.
type Store struct {
	db   *sql.DB
	path string
}

// OpenStore opens (creating if needed) the store at path and migrates it to
// SchemaVersion. A file that is not a SQLite database, or a store written by a
// newer schema, gives a *badinput.Error.
func OpenStore(path string) (*Store, error) {
	if path == "" {
		return nil, badinput.New("", "", "--store", "empty store path")
	}
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return nil, badinput.New(path, "", "", "store path is a directory, want a file")
	}
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Add("_pragma", "foreign_keys(ON)")
	dsn := "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	s := &Store{db: db, path: path}
	if err := s.migrate(context.Background()); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

func (s *Store) migrate(ctx context.Context) error {
	var version int
	if err := s.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		if isNotADatabase(err) {
			return badinput.New(s.path, "", "", "not a yuma snapshot store (not a SQLite database): %v", err)
		}
		return fmt.Errorf("read schema version of %s: %w", s.path, err)
	}
	if version > SchemaVersion {
		return badinput.New(s.path, "", "schema_version",
			"store schema %d was written by a newer yuma (this build supports up to %d); upgrade yuma", version, SchemaVersion)
	}
	for v := version; v < SchemaVersion; v++ {
		tx, err := s.db.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("migrate %s: %w", s.path, err)
		}
		if _, err := tx.ExecContext(ctx, migrations()[v]); err != nil {
			tx.Rollback()
			if isNotADatabase(err) {
				return badinput.New(s.path, "", "", "not a yuma snapshot store: %v", err)
			}
			return fmt.Errorf("migrate %s to schema %d: %w", s.path, v+1, err)
		}
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", v+1)); err != nil {
			tx.Rollback()
			return fmt.Errorf("migrate %s to schema %d: %w", s.path, v+1, err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("migrate %s to schema %d: %w", s.path, v+1, err)
		}
	}
	return nil
}

func isNotADatabase(err error) bool {
	m := strings.ToLower(err.Error())
	return strings.Contains(m, "not a database") || strings.Contains(m, "file is encrypted") || strings.Contains(m, "malformed")
}

// Close closes the store.
func (s *Store) Close() error { return s.db.Close() }

// Path is the store's file name.
func (s *Store) Path() string { return s.path }

func encodeBlob(snap *Snapshot) ([]byte, error) {
	var b bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&b, gzip.BestSpeed)
	if err := EncodeSnapshot(zw, snap); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("compress snapshot: %w", err)
	}
	return b.Bytes(), nil
}

func checkBlock(b uint64) error {
	if b > math.MaxInt64 {
		return badinput.New("", "", "block", "%d does not fit the store (max %d)", b, int64(math.MaxInt64))
	}
	return nil
}

// Put validates snap and stores it, replacing any snapshot of the same subnet
// and block (idempotent), in one transaction.
func (s *Store) Put(ctx context.Context, snap *Snapshot) error {
	return s.PutAll(ctx, []*Snapshot{snap})
}

// PutAll validates every snapshot and stores them all in one transaction:
// either all are written or none is.
func (s *Store) PutAll(ctx context.Context, snaps []*Snapshot) error {
	blobs := make([][]byte, len(snaps))
	for i, snap := range snaps {
		if snap == nil {
			return badinput.New("", fmt.Sprintf("snapshot %d", i), "", "nil snapshot")
		}
		if err := snap.Validate(""); err != nil {
			return err
		}
		if err := checkBlock(snap.Block); err != nil {
			return err
		}
		b, err := encodeBlob(snap)
		if err != nil {
			return err
		}
		blobs[i] = b
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store %s: begin: %w", s.path, err)
	}
	defer tx.Rollback()
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO snapshots (netuid, block, n, data) VALUES (?, ?, ?, ?)
		ON CONFLICT (netuid, block) DO UPDATE SET n = excluded.n, data = excluded.data`)
	if err != nil {
		return fmt.Errorf("store %s: prepare: %w", s.path, err)
	}
	defer stmt.Close()
	for i, snap := range snaps {
		if _, err := stmt.ExecContext(ctx, snap.Netuid, int64(snap.Block), snap.N, blobs[i]); err != nil {
			return fmt.Errorf("store %s: put netuid %d block %d: %w", s.path, snap.Netuid, snap.Block, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store %s: commit: %w", s.path, err)
	}
	return nil
}

// Has reports whether the store holds a snapshot of netuid at block.
func (s *Store) Has(ctx context.Context, netuid int, block uint64) (bool, error) {
	if err := checkBlock(block); err != nil {
		return false, err
	}
	var one int
	err := s.db.QueryRowContext(ctx, "SELECT 1 FROM snapshots WHERE netuid = ? AND block = ?", netuid, int64(block)).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("store %s: has netuid %d block %d: %w", s.path, netuid, block, err)
	}
	return true, nil
}

// Get returns the snapshot of netuid at block, or an error wrapping
// ErrNotFound. A stored snapshot that no longer decodes gives a *badinput.Error.
func (s *Store) Get(ctx context.Context, netuid int, block uint64) (*Snapshot, error) {
	if err := checkBlock(block); err != nil {
		return nil, err
	}
	var data []byte
	err := s.db.QueryRowContext(ctx, "SELECT data FROM snapshots WHERE netuid = ? AND block = ?", netuid, int64(block)).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("store %s: netuid %d block %d: %w", s.path, netuid, block, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("store %s: get netuid %d block %d: %w", s.path, netuid, block, err)
	}
	snap, err := DecodeSnapshot(bytes.NewReader(data), fmt.Sprintf("%s[netuid %d block %d]", s.path, netuid, block))
	if err != nil {
		return nil, err
	}
	return snap, nil
}

// Blocks lists, ascending, the blocks stored for netuid within [from, to]
// (inclusive; to = 0 means no upper bound).
func (s *Store) Blocks(ctx context.Context, netuid int, from, to uint64) ([]uint64, error) {
	if to == 0 || to > math.MaxInt64 {
		to = math.MaxInt64
	}
	if from > math.MaxInt64 {
		return nil, nil
	}
	rows, err := s.db.QueryContext(ctx, "SELECT block FROM snapshots WHERE netuid = ? AND block >= ? AND block <= ? ORDER BY block",
		netuid, int64(from), int64(to))
	if err != nil {
		return nil, fmt.Errorf("store %s: blocks of netuid %d: %w", s.path, netuid, err)
	}
	defer rows.Close()
	var out []uint64
	for rows.Next() {
		var b int64
		if err := rows.Scan(&b); err != nil {
			return nil, fmt.Errorf("store %s: blocks of netuid %d: %w", s.path, netuid, err)
		}
		out = append(out, uint64(b))
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store %s: blocks of netuid %d: %w", s.path, netuid, err)
	}
	return out, nil
}

// Subnets lists, ascending, the netuids that have at least one snapshot.
func (s *Store) Subnets(ctx context.Context) ([]int, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT DISTINCT netuid FROM snapshots ORDER BY netuid")
	if err != nil {
		return nil, fmt.Errorf("store %s: subnets: %w", s.path, err)
	}
	defer rows.Close()
	var out []int
	for rows.Next() {
		var n int
		if err := rows.Scan(&n); err != nil {
			return nil, fmt.Errorf("store %s: subnets: %w", s.path, err)
		}
		out = append(out, n)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store %s: subnets: %w", s.path, err)
	}
	return out, nil
}

// Range returns the snapshots of netuid within [from, to] (see Blocks), ascending by block.
func (s *Store) Range(ctx context.Context, netuid int, from, to uint64) ([]*Snapshot, error) {
	blocks, err := s.Blocks(ctx, netuid, from, to)
	if err != nil {
		return nil, err
	}
	out := make([]*Snapshot, 0, len(blocks))
	for _, b := range blocks {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		snap, err := s.Get(ctx, netuid, b)
		if err != nil {
			return nil, err
		}
		out = append(out, snap)
	}
	return out, nil
}
