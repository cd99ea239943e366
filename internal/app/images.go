package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"wxshop/internal/db"
	"wxshop/internal/i18n"
	"wxshop/internal/shop"
	"wxshop/web/templates"
)

const (
	imagesPerPage       = 48
	settingImageMaxSize = "image_max_bytes"
	defaultImageMaxSize = 2 << 20
	// maxFilesPerUpload bounds one request's work; the body limit of /images follows from it.
	maxFilesPerUpload = 20
)

func (a *App) showImages(c *gin.Context) {
	a.renderImages(c, http.StatusOK, nil)
}

func (a *App) renderImages(c *gin.Context, status int, results []templates.UploadResult) {
	ctx := c.Request.Context()
	page := pageNumber(c)
	images, total, err := a.store.Images(ctx, imagesPerPage, (page-1)*imagesPerPage)
	if err == nil && len(images) == 0 && total > 0 {
		page = (total + imagesPerPage - 1) / imagesPerPage
		images, total, err = a.store.Images(ctx, imagesPerPage, (page-1)*imagesPerPage)
	}
	if err != nil {
		a.serverError(c, err)
		return
	}
	v := templates.ImagesView{
		Pager:    templates.Pager{Page: page, PerPage: imagesPerPage, Total: total, Base: *c.Request.URL},
		Results:  results,
		MaxSize:  formatBytes(a.imageMaxSize(c)),
		CanWrite: canWrite(Role(currentUser(c).Role)),
	}
	if status != http.StatusOK {
		v.Pager.Base.RawQuery = ""
	}
	for _, img := range images {
		v.Tiles = append(v.Tiles, imageTile(img))
	}
	a.render(c, status, templates.ImagesPage(a.page(c, "title.images", "images"), v))
}

// imageChoices is what an image field offers: the library's newest images (at most limit), then the images
// in use that are not in it (a product or shelf made before the app kept a library), so they stay choosable.
func (a *App) imageChoices(ctx context.Context, limit int, inUse []string) ([]templates.ImageChoice, error) {
	library, _, err := a.store.Images(ctx, limit, 0)
	if err != nil {
		return nil, err
	}
	var out []templates.ImageChoice
	seen := map[string]bool{}
	for _, img := range library {
		out = append(out, templates.ImageChoice{URL: img.URL, Thumb: fmt.Sprintf("/images/%d/thumb", img.ID), Name: img.Filename})
		seen[img.URL] = true
	}
	for _, u := range inUse {
		if !seen[u] {
			out = append(out, templates.ImageChoice{URL: u, Thumb: u, Name: u[strings.LastIndex(u, "/")+1:]})
			seen[u] = true
		}
	}
	return out, nil
}

func imageTile(img db.Image) templates.ImageTile {
	return templates.ImageTile{
		ID: img.ID, URL: img.URL, Filename: img.Filename,
		Size:       fmt.Sprintf("%d×%d · %s", img.Width, img.Height, formatBytes(img.Bytes)),
		UploadedAt: templates.FormatTime(img.UploadedAt), UploadedBy: img.UploadedBy,
	}
}

// uploadImages sends each file to WeChat on its own: one bad file is reported and the others still go.
func (a *App) uploadImages(c *gin.Context) {
	p := a.printer(c)
	form, err := c.MultipartForm()
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			a.renderError(c, http.StatusRequestEntityTooLarge)
			return
		}
		a.renderImages(c, http.StatusUnprocessableEntity, []templates.UploadResult{{Filename: "—", Message: p.T("images.err.nofiles")}})
		return
	}
	defer form.RemoveAll()
	files := form.File["files"]
	if len(files) == 0 {
		a.renderImages(c, http.StatusUnprocessableEntity, []templates.UploadResult{{Filename: "—", Message: p.T("images.err.nofiles")}})
		return
	}
	if len(files) > maxFilesPerUpload {
		a.renderImages(c, http.StatusUnprocessableEntity, []templates.UploadResult{{Filename: "—", Message: p.T("images.err.toomany", maxFilesPerUpload)}})
		return
	}
	limit := a.imageMaxSize(c)
	results := make([]templates.UploadResult, 0, len(files))
	failed := 0
	for _, fh := range files {
		_, r := a.uploadOne(c, p, fh, limit)
		if !r.OK {
			failed++
		}
		results = append(results, r)
	}
	status := http.StatusOK
	if failed == len(files) {
		status = http.StatusUnprocessableEntity
	}
	a.renderImages(c, status, results)
}

// uploadOne checks one file, sends it to WeChat and adds it to the library. It returns the image's URL, or ""
// with the reason in the result.
func (a *App) uploadOne(c *gin.Context, p i18n.Printer, fh *multipart.FileHeader, limit int64) (string, templates.UploadResult) {
	ctx := c.Request.Context()
	name := cleanFilename(fh.Filename)
	res := templates.UploadResult{Filename: name}
	if fh.Size > limit {
		res.Message = p.T("images.err.toolarge", formatBytes(fh.Size), formatBytes(limit))
		return "", res
	}
	f, err := fh.Open()
	if err != nil {
		res.Message = p.T("images.err.unreadable")
		return "", res
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	f.Close()
	if err != nil || int64(len(data)) > limit {
		res.Message = p.T("images.err.toolarge", formatBytes(int64(len(data))), formatBytes(limit))
		return "", res
	}
	contentType, err := sniffImage(data)
	if err != nil {
		res.Message = p.T("images.err.type")
		return "", res
	}
	thumb, w, h, err := thumbnail(data, contentType)
	if err != nil {
		res.Message = p.T("images.err.type")
		return "", res
	}
	url, err := a.shop.UploadImage(ctx, a.journalOf(c), shop.ImageFile{Name: name, Data: data, ContentType: contentType,
		Width: w, Height: h, Thumb: thumb, UploadedBy: currentUser(c).Username}, a.isStore(ctx))
	switch {
	case shop.IsStoreError(err):
		res.Message = p.T("images.err.save")
		return "", res
	case err != nil:
		res.Message = wxMessage(p, err)
		return "", res
	}
	res.OK, res.Message = true, p.T("images.uploaded")
	return url, res
}

func (a *App) showImageThumb(c *gin.Context) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		c.Status(http.StatusNotFound)
		return
	}
	thumb, err := a.store.ImageThumb(c.Request.Context(), id)
	if errors.Is(err, db.ErrNoRecord) {
		c.Status(http.StatusNotFound)
		return
	} else if err != nil {
		a.serverError(c, err)
		return
	}
	// A thumbnail never changes for its id.
	c.Header("Cache-Control", "private, max-age=31536000, immutable")
	c.Data(http.StatusOK, "image/jpeg", thumb)
}

// imageMaxSize is the largest image an operator may upload (a setting, 2 MB by default).
func (a *App) imageMaxSize(c *gin.Context) int64 {
	return a.settingInt(c.Request.Context(), settingImageMaxSize, defaultImageMaxSize)
}

func cleanFilename(name string) string {
	name = filepath.Base(strings.ReplaceAll(name, "\\", "/"))
	name = strings.ToValidUTF8(name, "_")
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || strings.ContainsRune(`"<>|:*?&#%`, r) {
			return '_'
		}
		return r
	}, name)
	if name == "" || name == "." || name == "/" {
		name = "image"
	}
	const maxLen = 100
	if len(name) > maxLen {
		ext := filepath.Ext(name)
		if len(ext) > 10 {
			ext = "" // not a real extension: keep the start of the name instead
		}
		stem := strings.TrimSuffix(name, ext)
		cut := maxLen - len(ext)
		for cut > 0 && !utf8.RuneStart(stem[cut]) {
			cut-- // never cut inside a character
		}
		name = stem[:cut] + ext
	}
	return name
}

func formatBytes(n int64) string { return shop.FormatBytes(n) }

func pageNumber(c *gin.Context) int {
	page, _ := strconv.Atoi(c.Query("page"))
	return max(page, 1)
}
