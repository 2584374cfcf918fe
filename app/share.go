package app

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/funnelplan/funnelplan/core"
)

// shareKey is the URL fragment key of a shared plan: #plan=<data>.
const shareKey = "plan="

// maxShareBytes bounds the decompressed size of a shared plan (bytes), so a
// crafted link cannot exhaust the page's memory.
const maxShareBytes = 4 << 20

// EncodeShare returns the URL fragment (without "#") that carries the plan:
// "plan=" + base64url without padding of the gzip-compressed plan JSON
// (DESIGN.md, the browser app).
func EncodeShare(p *core.Plan) (string, error) {
	b, err := core.Encode(p)
	if err != nil {
		return "", err
	}
	var z bytes.Buffer
	w, _ := gzip.NewWriterLevel(&z, gzip.BestCompression)
	w.Write(b)
	if err := w.Close(); err != nil {
		return "", err
	}
	return shareKey + base64.RawURLEncoding.EncodeToString(z.Bytes()), nil
}

// HasShare reports whether a URL fragment (with or without "#") carries a
// shared plan.
func HasShare(fragment string) bool {
	return strings.HasPrefix(strings.TrimPrefix(fragment, "#"), shareKey)
}

// DecodeShare reads a plan from a URL fragment made by EncodeShare. The
// plan is decoded and validated like a plan file; the error says which
// layer failed (base64, gzip, JSON or a plan problem with its path).
func DecodeShare(fragment string) (*core.Plan, error) {
	s := strings.TrimPrefix(fragment, "#")
	if !strings.HasPrefix(s, shareKey) {
		return nil, errors.New("the link holds no plan (want #plan=...)")
	}
	s = strings.TrimPrefix(s, shareKey)
	// Tolerate padding and a trailing "&..." that mail clients or users add.
	if i := strings.IndexByte(s, '&'); i >= 0 {
		s = s[:i]
	}
	s = strings.TrimRight(s, "=")
	z, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("the link is damaged (not base64url: %v); copy the whole link again", err)
	}
	r, err := gzip.NewReader(bytes.NewReader(z))
	if err != nil {
		return nil, fmt.Errorf("the link is damaged (not gzip data: %v); copy the whole link again", err)
	}
	b, err := io.ReadAll(io.LimitReader(r, maxShareBytes+1))
	if err != nil {
		return nil, fmt.Errorf("the link is damaged or cut short (%v); copy the whole link again", err)
	}
	if len(b) > maxShareBytes {
		return nil, fmt.Errorf("the linked plan is larger than %d bytes", maxShareBytes)
	}
	p, err := core.DecodeBytes(b)
	if err != nil {
		return nil, fmt.Errorf("the linked plan has problems:\n%v", err)
	}
	return p, nil
}
