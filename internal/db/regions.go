package db

import (
	"bufio"
	"bytes"
	"context"
	_ "embed"
	"fmt"
	"strings"
)

// regionsTSV is the region list of the V1.13 manual: country, province, city, one city a row.
//
//go:embed regions.tsv
var regionsTSV []byte

// Region is one city with its province and country.
type Region struct {
	Country, Province, City string
}

// loadRegions fills the regions table from regionsTSV when it is empty.
func (s *Store) loadRegions(ctx context.Context) error {
	var n int
	if err := s.DB.QueryRowContext(ctx, `SELECT count(*) FROM regions`).Scan(&n); err != nil {
		return fmt.Errorf("regions: %w", err)
	}
	if n > 0 {
		return nil
	}
	tx, err := s.DB.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	sc := bufio.NewScanner(bytes.NewReader(regionsTSV))
	for line := 0; sc.Scan(); line++ {
		if line == 0 {
			continue // header
		}
		f := strings.Split(strings.TrimRight(sc.Text(), "\r"), "\t")
		if len(f) != 3 {
			return fmt.Errorf("regions.tsv line %d: want 3 columns, got %d", line+1, len(f))
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO regions (country, province, city) VALUES (?, ?, ?)`, f[0], f[1], f[2]); err != nil {
			return fmt.Errorf("regions.tsv line %d: %w", line+1, err)
		}
	}
	if err := sc.Err(); err != nil {
		return err
	}
	return tx.Commit()
}

// Regions returns every city, in the manual's order.
func (s *Store) Regions(ctx context.Context) ([]Region, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT country, province, city FROM regions ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("db: unable to list regions: %w", err)
	}
	defer rows.Close()
	var out []Region
	for rows.Next() {
		var r Region
		if err := rows.Scan(&r.Country, &r.Province, &r.City); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
