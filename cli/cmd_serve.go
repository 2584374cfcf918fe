package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"mime"
	"net"
	"net/http"
	"os"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"
)

const serveDoc = `
funnelplan serve [--addr HOST:PORT] [--dir DIR]

Serves the offline web app: the static site that "make web" writes to
dist/. A binary built with "make build-embed" carries the site inside and
serves it when --dir is not given; otherwise DIR defaults to dist.

When the browser accepts brotli or gzip, a precompressed sibling of the
requested file (app.wasm.br, app.wasm.gz) is sent with Content-Encoding
and Vary: Accept-Encoding; nothing is compressed on the fly. Every
response carries a strong ETag and "Cache-Control: no-cache": file names
are not versioned, so the browser revalidates (a cheap 304) and the
service worker's cache, not the HTTP cache, keeps the app offline.

After one visit the app keeps working with the server stopped. Stop the
server with Ctrl-C.
`

func init() {
	register(command{name: "serve", summary: "serve the offline web app", run: runServe})
}

func runServe(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "serve", serveDoc)
	addr := fs.String("addr", "127.0.0.1:8080", "listen on `HOST:PORT` (port 0 picks a free port)")
	dir := fs.String("dir", "", "serve the site in `DIR` (default: the embedded site, else dist)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("serve: takes no file, got %s", strings.Join(fs.Args(), " "))
	}
	site, from, err := siteFS(*dir)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("serve: %v", err)
	}
	srv := &http.Server{
		Handler:           newSiteHandler(site),
		ReadHeaderTimeout: 10 * time.Second,
	}
	fmt.Fprintf(e.stderr, "funnelplan: serving %s at http://%s/\n", from, ln.Addr())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return fmt.Errorf("serve: %v", err)
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		srv.Shutdown(sctx)
		<-done
		return nil
	}
}

// siteFS returns the site to serve and a description of where it is from:
// dir when given, else the embedded site, else dist.
func siteFS(dir string) (fs.FS, string, error) {
	if dir == "" {
		if site, ok := embeddedSite(); ok {
			return site, "the embedded site", nil
		}
		dir = "dist"
	}
	st, err := os.Stat(dir)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, "", fmt.Errorf("%s: %v (build the site with \"make web\" or give --dir)", dir, err)
	}
	if !st.IsDir() {
		return nil, "", fmt.Errorf("%s: not a directory", dir)
	}
	if _, err := os.Stat(dir + "/index.html"); err != nil {
		return nil, "", fmt.Errorf("%s: no index.html: not a built site (build it with \"make web\")", dir)
	}
	return os.DirFS(dir), dir, nil
}

// contentTypes fixes the types of the site's files, whatever the host's
// mime tables say: instantiateStreaming needs application/wasm and the
// manifest has its own type.
var contentTypes = map[string]string{
	".html":        "text/html; charset=utf-8",
	".js":          "text/javascript; charset=utf-8",
	".mjs":         "text/javascript; charset=utf-8",
	".css":         "text/css; charset=utf-8",
	".wasm":        "application/wasm",
	".webmanifest": "application/manifest+json",
	".json":        "application/json",
	".svg":         "image/svg+xml",
	".png":         "image/png",
	".ico":         "image/x-icon",
	".txt":         "text/plain; charset=utf-8",
	".woff2":       "font/woff2",
}

func contentType(name string) string {
	ext := strings.ToLower(path.Ext(name))
	if t, ok := contentTypes[ext]; ok {
		return t
	}
	return mime.TypeByExtension(ext) // "" lets ServeContent sniff
}

// encodings are the precompressed siblings the handler looks for, in
// order of preference.
var encodings = []struct{ token, suffix string }{
	{"br", ".br"},
	{"gzip", ".gz"},
}

// siteHandler serves a static site from a file system; see serveDoc.
type siteHandler struct {
	fsys fs.FS

	mu    sync.Mutex
	etags map[etagKey]string
}

// etagKey identifies one version of one file: a rebuilt file has a new
// size or modification time and gets its hash computed again.
type etagKey struct {
	name string
	size int64
	mod  time.Time
}

func newSiteHandler(fsys fs.FS) *siteHandler {
	return &siteHandler{fsys: fsys, etags: map[etagKey]string{}}
}

func (h *siteHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	name, ok := h.resolve(r.URL.Path)
	if !ok {
		w.Header().Set("Cache-Control", "no-cache")
		http.Error(w, "404 page not found", http.StatusNotFound)
		return
	}
	hdr := w.Header()
	hdr.Set("Cache-Control", "no-cache")
	hdr.Set("X-Content-Type-Options", "nosniff")
	if ct := contentType(name); ct != "" {
		hdr.Set("Content-Type", ct)
	}
	send := name
	if !isEncoded(name) {
		varies := false
		for _, enc := range encodings {
			if !h.isFresh(name+enc.suffix, name) {
				continue
			}
			varies = true
			if accepts(r.Header.Get("Accept-Encoding"), enc.token) {
				send = name + enc.suffix
				hdr.Set("Content-Encoding", enc.token)
				break
			}
		}
		if varies {
			hdr.Add("Vary", "Accept-Encoding")
		}
	}
	f, err := h.fsys.Open(send)
	if err != nil {
		http.Error(w, "500 internal server error", http.StatusInternalServerError)
		return
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		http.Error(w, "500 internal server error", http.StatusInternalServerError)
		return
	}
	rs, ok := f.(io.ReadSeeker)
	if !ok {
		http.Error(w, "500 internal server error", http.StatusInternalServerError)
		return
	}
	if tag, err := h.etag(send, st, rs); err == nil {
		hdr.Set("ETag", tag)
	}
	if hdr.Get("Content-Encoding") != "" {
		// ServeContent leaves the length out when the body is encoded
		// (it guards against compressing writers); ours is a file.
		hdr.Set("Content-Length", strconv.FormatInt(st.Size(), 10))
	}
	http.ServeContent(w, r, name, st.ModTime(), rs)
}

// resolve maps a URL path to a file of the site: "/" and directories to
// their index.html, an extensionless route to its page ("/compare" to
// compare.html, as go-app's static generator names them).
func (h *siteHandler) resolve(urlPath string) (string, bool) {
	name := strings.TrimPrefix(path.Clean("/"+urlPath), "/")
	if name == "" {
		name = "."
	}
	if !fs.ValidPath(name) {
		return "", false
	}
	if st, err := fs.Stat(h.fsys, name); err == nil {
		if st.Mode().IsRegular() {
			return name, true
		}
		if st.IsDir() {
			idx := path.Join(name, "index.html")
			return idx, h.isFile(idx)
		}
		return "", false
	}
	if path.Ext(name) == "" && h.isFile(name+".html") {
		return name + ".html", true
	}
	return "", false
}

// isFresh reports whether the sibling sib is a file at least as new as
// name: a sibling left behind by an older build is never sent in place of
// the rebuilt file.
func (h *siteHandler) isFresh(sib, name string) bool {
	s, err := fs.Stat(h.fsys, sib)
	if err != nil || !s.Mode().IsRegular() {
		return false
	}
	f, err := fs.Stat(h.fsys, name)
	// Whole seconds: tools that copy the file's time (brotli, tar) may drop
	// the fraction.
	return err == nil && !s.ModTime().Before(f.ModTime().Truncate(time.Second))
}

func (h *siteHandler) isFile(name string) bool {
	st, err := fs.Stat(h.fsys, name)
	return err == nil && st.Mode().IsRegular()
}

// etag returns a strong entity tag: a hash of the bytes sent, so the
// brotli, gzip and identity forms of a file have different tags.
func (h *siteHandler) etag(name string, st fs.FileInfo, rs io.ReadSeeker) (string, error) {
	key := etagKey{name, st.Size(), st.ModTime()}
	h.mu.Lock()
	tag, ok := h.etags[key]
	h.mu.Unlock()
	if ok {
		return tag, nil
	}
	sum := sha256.New()
	if _, err := io.Copy(sum, rs); err != nil {
		return "", err
	}
	if _, err := rs.Seek(0, io.SeekStart); err != nil {
		return "", err
	}
	tag = `"` + hex.EncodeToString(sum.Sum(nil)[:12]) + `"`
	h.mu.Lock()
	h.etags[key] = tag
	h.mu.Unlock()
	return tag, nil
}

// isEncoded reports whether name is itself a compressed file, which is
// sent as it is (never compressed twice).
func isEncoded(name string) bool {
	switch path.Ext(name) {
	case ".br", ".gz", ".png", ".jpg", ".jpeg", ".webp", ".woff2", ".zip":
		return true
	}
	return false
}

// accepts reports whether an Accept-Encoding header value allows the
// content coding token (RFC 9110 §12.5.3): named with a non-zero q, or
// covered by "*" when not named.
func accepts(header, token string) bool {
	star := false
	for _, part := range strings.Split(header, ",") {
		coding, params, _ := strings.Cut(part, ";")
		coding = strings.ToLower(strings.TrimSpace(coding))
		q := 1.0
		for _, p := range strings.Split(params, ";") {
			k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
			if ok && strings.EqualFold(strings.TrimSpace(k), "q") {
				f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
				if err != nil || f < 0 || f > 1 {
					f = 0
				}
				q = f
			}
		}
		switch coding {
		case token:
			return q > 0
		case "*":
			star = q > 0
		}
	}
	return star
}
