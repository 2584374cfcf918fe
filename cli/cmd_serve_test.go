package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// testSite is a small built site: the files "make web" writes, with
// precompressed siblings for some of them. Contents only need to differ.
func testSite() fstest.MapFS {
	mod := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	f := func(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s), ModTime: mod} }
	return fstest.MapFS{
		"index.html":           f("<html>index</html>"),
		"compare.html":         f("<html>compare</html>"),
		"app.js":               f("app js"),
		"app.js.gz":            f("app js gzip"),
		"app-worker.js":        f("worker"),
		"manifest.webmanifest": f(`{"name":"funnelplan"}`),
		"web/app.wasm":         f("\x00asm raw"),
		"web/app.wasm.br":      f("wasm brotli"),
		"web/app.wasm.gz":      f("wasm gzip"),
		"web/icon.png":         f("png"),
		"web/icon.png.br":      f("never sent encoded"),
		"web/docs/index.html":  f("<html>docs</html>"),
	}
}

func TestServeNegotiation(t *testing.T) {
	h := newSiteHandler(testSite())
	tests := []struct {
		name, path, accept string
		status             int
		body, encoding     string
		ctype, vary        string
	}{
		{"brotli preferred", "/web/app.wasm", "gzip, deflate, br, zstd", 200, "wasm brotli", "br", "application/wasm", "Accept-Encoding"},
		{"gzip only", "/web/app.wasm", "gzip", 200, "wasm gzip", "gzip", "application/wasm", "Accept-Encoding"},
		{"brotli refused by q=0", "/web/app.wasm", "br;q=0, gzip;q=0.5", 200, "wasm gzip", "gzip", "application/wasm", "Accept-Encoding"},
		{"no header", "/web/app.wasm", "", 200, "\x00asm raw", "", "application/wasm", "Accept-Encoding"},
		{"identity only", "/web/app.wasm", "identity", 200, "\x00asm raw", "", "application/wasm", "Accept-Encoding"},
		{"star", "/web/app.wasm", "*", 200, "wasm brotli", "br", "application/wasm", "Accept-Encoding"},
		{"star without brotli", "/web/app.wasm", "br;q=0, *", 200, "wasm gzip", "gzip", "application/wasm", "Accept-Encoding"},
		{"only a gzip sibling", "/app.js", "br, gzip", 200, "app js gzip", "gzip", "text/javascript; charset=utf-8", "Accept-Encoding"},
		{"no sibling", "/app-worker.js", "br, gzip", 200, "worker", "", "text/javascript; charset=utf-8", ""},
		{"compressed formats are sent as they are", "/web/icon.png", "br", 200, "png", "", "image/png", ""},
		{"a sibling asked by name is not encoded twice", "/web/app.wasm.br", "br", 200, "wasm brotli", "", "", ""},
		{"root is index.html", "/", "br", 200, "<html>index</html>", "", "text/html; charset=utf-8", ""},
		{"route page", "/compare", "", 200, "<html>compare</html>", "", "text/html; charset=utf-8", ""},
		{"directory index", "/web/docs/", "", 200, "<html>docs</html>", "", "text/html; charset=utf-8", ""},
		{"manifest type", "/manifest.webmanifest", "", 200, `{"name":"funnelplan"}`, "", "application/manifest+json", ""},
		{"missing", "/nope.js", "", 404, "", "", "", ""},
		{"directory without index", "/web", "", 404, "", "", "", ""},
		{"dot dot stays inside", "/../../etc/passwd", "", 404, "", "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest("GET", tt.path, nil)
			if tt.accept != "" {
				req.Header.Set("Accept-Encoding", tt.accept)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			res := rec.Result()
			if res.StatusCode != tt.status {
				t.Fatalf("status %d, want %d", res.StatusCode, tt.status)
			}
			if tt.status != 200 {
				return
			}
			if got := rec.Body.String(); got != tt.body {
				t.Errorf("body %q, want %q", got, tt.body)
			}
			if got := res.Header.Get("Content-Encoding"); got != tt.encoding {
				t.Errorf("Content-Encoding %q, want %q", got, tt.encoding)
			}
			if tt.ctype != "" {
				if got := res.Header.Get("Content-Type"); got != tt.ctype {
					t.Errorf("Content-Type %q, want %q", got, tt.ctype)
				}
			}
			if got := res.Header.Get("Vary"); got != tt.vary {
				t.Errorf("Vary %q, want %q", got, tt.vary)
			}
			if got := res.Header.Get("Cache-Control"); got != "no-cache" {
				t.Errorf("Cache-Control %q, want no-cache", got)
			}
			if got := res.Header.Get("Content-Length"); got != "" && got != strconv.Itoa(len(tt.body)) {
				t.Errorf("Content-Length %s, want %d (the bytes sent)", got, len(tt.body))
			}
		})
	}
}

func get(t *testing.T, h http.Handler, method, path string, hdr map[string]string) *http.Response {
	t.Helper()
	req := httptest.NewRequest(method, path, nil)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Result()
}

func TestServeRevalidation(t *testing.T) {
	h := newSiteHandler(testSite())
	br := get(t, h, "GET", "/web/app.wasm", map[string]string{"Accept-Encoding": "br"})
	raw := get(t, h, "GET", "/web/app.wasm", nil)
	tagBr, tagRaw := br.Header.Get("ETag"), raw.Header.Get("ETag")
	if tagBr == "" || tagRaw == "" || tagBr == tagRaw {
		t.Fatalf("ETags brotli %q and identity %q: want two different strong tags", tagBr, tagRaw)
	}
	res := get(t, h, "GET", "/web/app.wasm", map[string]string{"Accept-Encoding": "br", "If-None-Match": tagBr})
	if res.StatusCode != http.StatusNotModified {
		t.Errorf("revalidating the brotli copy: status %d, want 304", res.StatusCode)
	}
	res = get(t, h, "GET", "/web/app.wasm", map[string]string{"If-None-Match": tagBr})
	if res.StatusCode != http.StatusOK {
		t.Errorf("identity request with the brotli tag: status %d, want 200", res.StatusCode)
	}
	for _, p := range []string{"/", "/app-worker.js"} {
		if cc := get(t, h, "GET", p, nil).Header.Get("Cache-Control"); cc != "no-cache" {
			t.Errorf("%s: Cache-Control %q, want no-cache (must revalidate)", p, cc)
		}
	}
}

func TestServeMethodsAndRanges(t *testing.T) {
	h := newSiteHandler(testSite())
	head := get(t, h, "HEAD", "/web/app.wasm", map[string]string{"Accept-Encoding": "br"})
	if head.StatusCode != 200 || head.Header.Get("Content-Encoding") != "br" || head.Header.Get("Content-Length") != "11" {
		t.Errorf("HEAD: status %d, encoding %q, length %q; want 200, br, 11",
			head.StatusCode, head.Header.Get("Content-Encoding"), head.Header.Get("Content-Length"))
	}
	if b, _ := io.ReadAll(head.Body); len(b) != 0 {
		t.Errorf("HEAD sent a body of %d bytes", len(b))
	}
	post := get(t, h, "POST", "/", nil)
	if post.StatusCode != http.StatusMethodNotAllowed || post.Header.Get("Allow") != "GET, HEAD" {
		t.Errorf("POST: status %d, Allow %q; want 405, GET, HEAD", post.StatusCode, post.Header.Get("Allow"))
	}
	rng := get(t, h, "GET", "/web/app.wasm", map[string]string{"Accept-Encoding": "br", "Range": "bytes=0-3"})
	body, _ := io.ReadAll(rng.Body)
	if rng.StatusCode != http.StatusPartialContent || string(body) != "wasm" {
		t.Errorf("range of the brotli copy: status %d, body %q; want 206, %q", rng.StatusCode, body, "wasm")
	}
}

// TestServeRebuiltDirectory checks that a site rebuilt while it is being
// served is sent anew, with a new tag.
func TestServeRebuiltDirectory(t *testing.T) {
	dir := t.TempDir()
	write := func(name, s string, mod time.Time) {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, mod, mod); err != nil {
			t.Fatal(err)
		}
	}
	t1 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	write("index.html", "<html>v1</html>", t1)
	write("web/app.wasm", "wasm v1", t1)
	h := newSiteHandler(os.DirFS(dir))
	first := get(t, h, "GET", "/web/app.wasm", nil)
	write("web/app.wasm.br", "wasm v1 brotli", t1)
	write("web/app.wasm", "wasm v2", t1.Add(time.Minute))
	stale := get(t, h, "GET", "/web/app.wasm", map[string]string{"Accept-Encoding": "br"})
	if body, _ := io.ReadAll(stale.Body); string(body) != "wasm v2" || stale.Header.Get("Content-Encoding") != "" {
		t.Errorf("with a brotli copy older than the file: body %q, encoding %q; want the new file unencoded",
			body, stale.Header.Get("Content-Encoding"))
	}
	write("web/app.wasm.br", "wasm v2 brotli", t1.Add(time.Minute))
	second := get(t, h, "GET", "/web/app.wasm", map[string]string{"If-None-Match": first.Header.Get("ETag"), "Accept-Encoding": "br"})
	body, _ := io.ReadAll(second.Body)
	if second.StatusCode != 200 || string(body) != "wasm v2 brotli" || second.Header.Get("ETag") == first.Header.Get("ETag") {
		t.Errorf("after a rebuild: status %d, body %q, tag %q (was %q); want 200, the new brotli copy, a new tag",
			second.StatusCode, body, second.Header.Get("ETag"), first.Header.Get("ETag"))
	}
}

func TestAccepts(t *testing.T) {
	tests := []struct {
		header, token string
		want          bool
	}{
		{"gzip, deflate, br", "br", true},
		{"gzip, deflate, br", "gzip", true},
		{"gzip", "br", false},
		{"", "gzip", false},
		{"BR", "br", true},
		{"br;q=0", "br", false},
		{"br; q=0.001", "br", true},
		{"br;q=0.0", "br", false},
		{"*", "br", true},
		{"*;q=0", "br", false},
		{"*;q=0, br", "br", true},
		{"br;q=0, *", "br", false},
		{"br;q=x", "br", false},
		{"gzip ; q = 0.8", "gzip", true},
	}
	for _, tt := range tests {
		if got := accepts(tt.header, tt.token); got != tt.want {
			t.Errorf("accepts(%q, %q) = %v, want %v", tt.header, tt.token, got, tt.want)
		}
	}
}

// TestServeCommand runs the command on a free port, fetches a page and
// stops it as Ctrl-C does.
func TestServeCommand(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "index.html"), []byte("<html>served</html>"), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--dir", dir}, strings.NewReader(""), io.Discard, pw)
		pw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatalf("reading the address: %v (err %v)", err, <-done)
	}
	go io.Copy(io.Discard, pr)
	i := strings.Index(line, "http://")
	if i < 0 {
		t.Fatalf("no address in %q", line)
	}
	url := strings.TrimSpace(line[i:])
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if string(body) != "<html>served</html>" {
		t.Errorf("GET %s: %q", url, body)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve after stop: %v, want nil", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("serve did not stop")
	}
}

func TestServeErrors(t *testing.T) {
	empty := t.TempDir()
	tests := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"missing dir", []string{"serve", "--dir", filepath.Join(empty, "nope")}, 1, "no such file or directory"},
		{"not a site", []string{"serve", "--dir", empty}, 1, "no index.html"},
		{"a file argument", []string{"serve", "plan.json"}, 2, "takes no file"},
		{"bad flag", []string{"serve", "--port", "1"}, 2, "unknown flag"},
		{"bad address", []string{"serve", "--dir", ".", "--addr", "127.0.0.1:99999"}, 1, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.name == "bad address" {
				dir := t.TempDir()
				os.WriteFile(filepath.Join(dir, "index.html"), nil, 0o644)
				tt.args[2] = dir
			}
			var stderr strings.Builder
			err := run(context.Background(), tt.args, strings.NewReader(""), io.Discard, io.Discard)
			code := exitCode(err, &stderr)
			if code != tt.code || !strings.Contains(stderr.String(), tt.msg) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, stderr.String(), tt.code, tt.msg)
			}
		})
	}
}
