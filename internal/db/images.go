package db

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Image is an image uploaded to WeChat, in the app's image library.
type Image struct {
	ID          int64
	URL         string // as WeChat returned it; the only kind of image URL products may use
	Filename    string
	ContentType string
	Bytes       int64
	Width       int
	Height      int
	Thumb       []byte // a small JPEG, so the library shows without calling WeChat
	UploadedBy  string
	UploadedAt  time.Time
}

// AddImage records an uploaded image and returns its id. The same URL twice is one image.
func (s *Store) AddImage(ctx context.Context, img Image) (int64, error) {
	var id int64
	err := s.queryRow(ctx,
		`INSERT INTO images (url, filename, content_type, bytes, width, height, thumb, uploaded_by, uploaded_at)
		 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		 ON CONFLICT (url) DO UPDATE SET filename = excluded.filename
		 RETURNING id`,
		img.URL, img.Filename, img.ContentType, img.Bytes, img.Width, img.Height, img.Thumb, img.UploadedBy, s.now().Unix()).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("db: unable to add image: %w", err)
	}
	return id, nil
}

// Images lists the library, newest first, without thumbnails.
func (s *Store) Images(ctx context.Context, limit, offset int) ([]Image, int, error) {
	var total int
	if err := s.queryRow(ctx, `SELECT count(*) FROM images`).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("db: unable to count images: %w", err)
	}
	rows, err := s.query(ctx,
		`SELECT id, url, filename, content_type, bytes, width, height, uploaded_by, uploaded_at
		 FROM images ORDER BY id DESC LIMIT ? OFFSET ?`, limit, offset)
	if err != nil {
		return nil, 0, fmt.Errorf("db: unable to list images: %w", err)
	}
	defer rows.Close()
	var out []Image
	for rows.Next() {
		var img Image
		var at int64
		if err := rows.Scan(&img.ID, &img.URL, &img.Filename, &img.ContentType, &img.Bytes, &img.Width, &img.Height, &img.UploadedBy, &at); err != nil {
			return nil, 0, err
		}
		img.UploadedAt = time.Unix(at, 0)
		out = append(out, img)
	}
	return out, total, rows.Err()
}

// ImageThumb returns an image's thumbnail.
func (s *Store) ImageThumb(ctx context.Context, id int64) ([]byte, error) {
	var thumb []byte
	err := s.queryRow(ctx, `SELECT thumb FROM images WHERE id = ?`, id).Scan(&thumb)
	return thumb, notFound(err, "image")
}

// KnownImageURLs reports which of urls are in the library.
func (s *Store) KnownImageURLs(ctx context.Context, urls []string) (map[string]bool, error) {
	known := map[string]bool{}
	if len(urls) == 0 {
		return known, nil
	}
	args := make([]any, len(urls))
	for i, u := range urls {
		args[i] = u
	}
	rows, err := s.query(ctx, `SELECT url FROM images WHERE url IN (?`+strings.Repeat(",?", len(urls)-1)+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("db: unable to look up images: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var u string
		if err := rows.Scan(&u); err != nil {
			return nil, err
		}
		known[u] = true
	}
	return known, rows.Err()
}
