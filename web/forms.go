package web

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"io"
	"math"
	"mime/multipart"
	"net/http"
	"path"
	"strconv"
	"strings"
	"unicode"

	"github.com/yuma-go/yuma/internal/badinput"
	"github.com/yuma-go/yuma/report"
)

// maxFiles bounds the files of one upload.
const maxFiles = 512

// upload is one uploaded file, read into memory.
type upload struct {
	Name string // sanitised base name, for messages only
	Data []byte
}

// parseForm reads a url-encoded or multipart form within the body limit.
// Multipart parts are kept in memory (the limit bounds them).
func (s *Server) parseForm(r *http.Request) error {
	ct := r.Header.Get("Content-Type")
	var err error
	if strings.HasPrefix(ct, "multipart/form-data") {
		err = r.ParseMultipartForm(s.opts.MaxBodyBytes)
	} else {
		err = r.ParseForm()
	}
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return errTooLarge{limit: mbe.Limit}
		}
		return badinput.New("", "", "form", "cannot read the form: %v", err)
	}
	return nil
}

// errTooLarge is a request body over the limit (413).
type errTooLarge struct{ limit int64 }

func (e errTooLarge) Error() string {
	return fmt.Sprintf("request body too large: the limit is %d bytes (%s)", e.limit, humanBytes(e.limit))
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.0f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.0f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

// files returns the uploaded files of a form field (none when the form was
// not multipart).
func files(r *http.Request, field string) ([]upload, error) {
	if r.MultipartForm == nil {
		return nil, nil
	}
	hs := r.MultipartForm.File[field]
	if len(hs) > maxFiles {
		return nil, badinput.New("", "", field, "%d files uploaded; at most %d", len(hs), maxFiles)
	}
	var out []upload
	for _, h := range hs {
		if h.Size == 0 && h.Filename == "" {
			continue // the browser's empty file input
		}
		data, err := readPart(h)
		if err != nil {
			return nil, badinput.New(safeName(h.Filename), "", field, "cannot read the upload: %v", err)
		}
		out = append(out, upload{Name: safeName(h.Filename), Data: data})
	}
	return out, nil
}

func readPart(h *multipart.FileHeader) ([]byte, error) {
	f, err := h.Open()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var b bytes.Buffer
	if _, err := io.Copy(&b, f); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// safeName reduces a client-supplied file name to a short printable base name
// used in messages (never as a path).
func safeName(name string) string {
	name = path.Base(strings.ReplaceAll(name, "\\", "/"))
	name = strings.Map(func(r rune) rune {
		if unicode.IsPrint(r) {
			return r
		}
		return -1
	}, name)
	if len(name) > 80 {
		name = name[:80]
	}
	if name == "" || name == "." || name == "/" {
		name = "upload"
	}
	return name
}

// formFloat reads an optional finite float field; ok is false when blank.
func formFloat(r *http.Request, field string, lo, hi float64) (v float64, ok bool, err error) {
	s := strings.TrimSpace(r.FormValue(field))
	if s == "" {
		return 0, false, nil
	}
	v, perr := strconv.ParseFloat(s, 64)
	if perr != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, false, badinput.New("", "", field, "%q is not a finite number", s)
	}
	if v < lo || v > hi {
		return 0, false, badinput.New("", "", field, "%v is not in [%v, %v]", v, lo, hi)
	}
	return v, true, nil
}

// formInt reads an optional integer field; ok is false when blank.
func formInt(r *http.Request, field string, lo, hi int) (v int, ok bool, err error) {
	s := strings.TrimSpace(r.FormValue(field))
	if s == "" {
		return 0, false, nil
	}
	v, perr := strconv.Atoi(s)
	if perr != nil {
		return 0, false, badinput.New("", "", field, "%q is not an integer", s)
	}
	if v < lo || v > hi {
		return 0, false, badinput.New("", "", field, "%d is not in [%d, %d]", v, lo, hi)
	}
	return v, true, nil
}

// fail answers a request error: 413 for an oversized body, 400 with the
// one-line message for bad input, 500 otherwise (logged, not shown in full).
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	var tl errTooLarge
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &tl):
		http.Error(w, tl.Error(), http.StatusRequestEntityTooLarge)
	case errors.As(err, &mbe):
		http.Error(w, errTooLarge{mbe.Limit}.Error(), http.StatusRequestEntityTooLarge)
	case badinput.Is(err):
		http.Error(w, "bad input: "+err.Error(), http.StatusBadRequest)
	default:
		s.log.Printf("%s %s: %v", r.Method, r.URL.Path, err)
		http.Error(w, "internal error: "+err.Error(), http.StatusInternalServerError)
	}
}

// render executes a page template (the whole page, or only its "content"
// block for an htmx request when partial is true).
func (s *Server) render(w http.ResponseWriter, r *http.Request, page, block string, data any) {
	t, ok := s.pages[page]
	if !ok {
		s.fail(w, r, fmt.Errorf("no template %q", page))
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, block, data); err != nil {
		s.fail(w, r, fmt.Errorf("render %s: %w", page, err))
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(buf.Bytes())
}

// isHTMX reports whether the request came from htmx (wants a fragment).
func isHTMX(r *http.Request) bool { return r.Header.Get("HX-Request") == "true" }

// svgOf renders a chart as inline SVG (the XML prolog dropped).
func svgOf(c report.Chart) (template.HTML, error) {
	b, err := c.SVG()
	if err != nil {
		return "", fmt.Errorf("chart %q: %w", c.Title, err)
	}
	if i := bytes.Index(b, []byte("<svg")); i > 0 {
		b = b[i:]
	}
	return template.HTML(b), nil //nolint:gosec // our own renderer's output; titles are escaped by svgo
}

var funcs = template.FuncMap{
	"f4": func(v float64) string {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return "n/a"
		}
		return strconv.FormatFloat(v, 'f', 4, 64)
	},
	"f6": func(v float64) string {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return "n/a"
		}
		return strconv.FormatFloat(v, 'f', 6, 64)
	},
	"full": func(v float64) string {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return "NaN"
		}
		return strconv.FormatFloat(v, 'g', -1, 64)
	},
	"pct": func(done, total int) int {
		if total <= 0 {
			return 0
		}
		return 100 * done / total
	},
	"has": func(list []string, s string) bool {
		for _, x := range list {
			if x == s {
				return true
			}
		}
		return false
	},
}
