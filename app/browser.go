package app

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// Store is the key-value text storage the planner autosaves to: the
// browser's localStorage in the page, a map in native tests.
type Store interface {
	Get(key string) (string, bool)
	Set(key, value string) error
	Del(key string)
}

// MemStore is a Store in memory.
type MemStore map[string]string

func (m MemStore) Get(k string) (string, bool) { v, ok := m[k]; return v, ok }
func (m MemStore) Set(k, v string) error       { m[k] = v; return nil }
func (m MemStore) Del(k string)                { delete(m, k) }

// localStore is window.localStorage, read and written as raw text so that an
// unreadable saved plan can be kept exactly as it was.
type localStore struct{}

func (localStore) Get(k string) (string, bool) {
	v := app.Window().Get("localStorage").Call("getItem", k)
	if v.IsNull() || v.IsUndefined() {
		return "", false
	}
	return v.String(), true
}

func (localStore) Set(k, v string) (err error) {
	defer func() {
		// setItem throws QuotaExceededError when storage is full or
		// disabled; syscall/js turns that into a panic.
		if r := recover(); r != nil {
			err = errStorage
		}
	}()
	app.Window().Get("localStorage").Call("setItem", k, v)
	return nil
}

func (localStore) Del(k string) { app.Window().Get("localStorage").Call("removeItem", k) }

type storageError struct{}

func (storageError) Error() string {
	return "the browser refused to save (storage full or disabled); export the plan to keep your work"
}

var errStorage error = storageError{}

// download hands bytes to the browser as a file download.
func download(name, mime string, b []byte) {
	if !app.IsClient {
		return
	}
	w := app.Window()
	arr := w.Get("Uint8Array").New(len(b))
	app.CopyBytesToJS(arr, b)
	blob := w.Get("Blob").New([]any{arr}, map[string]any{"type": mime})
	url := w.Get("URL").Call("createObjectURL", blob)
	a := w.Get("document").Call("createElement", "a")
	a.Set("href", url)
	a.Set("download", name)
	w.Get("document").Get("body").Call("appendChild", a)
	a.Call("click")
	a.Call("remove")
	w.Get("URL").Call("revokeObjectURL", url)
}

// readFile reads the first file of a file input as text and calls done
// with it inside the component's dispatch.
func readFile(ctx app.Context, input app.Value, done func(ctx app.Context, name, text string, err error)) {
	files := input.Get("files")
	if files.Get("length").Int() == 0 {
		return
	}
	file := files.Index(0)
	name := file.Get("name").String()
	r := app.Window().Get("FileReader").New()
	var onload, onerror app.Func
	release := func() { onload.Release(); onerror.Release() }
	onload = app.FuncOf(func(app.Value, []app.Value) any {
		text := r.Get("result").String()
		release()
		ctx.Dispatch(func(ctx app.Context) { done(ctx, name, text, nil) })
		return nil
	})
	onerror = app.FuncOf(func(app.Value, []app.Value) any {
		release()
		ctx.Dispatch(func(ctx app.Context) { done(ctx, name, "", errRead) })
		return nil
	})
	r.Set("onload", onload)
	r.Set("onerror", onerror)
	r.Call("readAsText", file)
	input.Set("value", "") // the same file can be chosen again
}

type readError struct{}

func (readError) Error() string { return "the browser could not read the file" }

var errRead error = readError{}

// setFragment replaces the URL fragment without adding a history entry.
func setFragment(frag string) {
	if !app.IsClient {
		return
	}
	h := app.Window().Get("history")
	loc := app.Window().Get("location")
	url := loc.Get("pathname").String() + loc.Get("search").String()
	if frag != "" {
		url += "#" + frag
	}
	h.Call("replaceState", nil, "", url)
}

// fragment returns the current URL fragment without "#".
func fragment() string {
	if !app.IsClient {
		return ""
	}
	return app.Window().URL().Fragment
}

// copyText puts text on the clipboard (best effort: needs a secure
// context, which localhost is).
func copyText(s string) {
	if !app.IsClient {
		return
	}
	if c := app.Window().Get("navigator").Get("clipboard"); c.Truthy() {
		c.Call("writeText", s)
	}
}

// downloadPNG renders an SVG chart at twice its size on a canvas and
// downloads it as PNG (the SVG carries its own width and height).
func downloadPNG(name, svg string) {
	if !app.IsClient {
		return
	}
	w := app.Window()
	blob := w.Get("Blob").New([]any{svg}, map[string]any{"type": "image/svg+xml"})
	url := w.Get("URL").Call("createObjectURL", blob)
	img := w.Get("Image").New()
	var onload, onerror, ondone app.Func
	release := func() {
		onload.Release()
		onerror.Release()
		w.Get("URL").Call("revokeObjectURL", url)
	}
	ondone = app.FuncOf(func(this app.Value, args []app.Value) any {
		ondone.Release()
		if len(args) == 0 || !args[0].Truthy() {
			return nil
		}
		u := w.Get("URL").Call("createObjectURL", args[0])
		a := w.Get("document").Call("createElement", "a")
		a.Set("href", u)
		a.Set("download", name)
		w.Get("document").Get("body").Call("appendChild", a)
		a.Call("click")
		a.Call("remove")
		w.Get("URL").Call("revokeObjectURL", u)
		return nil
	})
	onload = app.FuncOf(func(app.Value, []app.Value) any {
		const scale = 2
		cv := w.Get("document").Call("createElement", "canvas")
		cw, ch := img.Get("naturalWidth").Int(), img.Get("naturalHeight").Int()
		cv.Set("width", cw*scale)
		cv.Set("height", ch*scale)
		g := cv.Call("getContext", "2d")
		g.Set("fillStyle", "#ffffff")
		g.Call("fillRect", 0, 0, cw*scale, ch*scale)
		g.Call("drawImage", img, 0, 0, cw*scale, ch*scale)
		release()
		cv.Call("toBlob", ondone, "image/png")
		return nil
	})
	onerror = app.FuncOf(func(app.Value, []app.Value) any {
		release()
		ondone.Release()
		return nil
	})
	img.Set("onload", onload)
	img.Set("onerror", onerror)
	img.Set("src", url)
}
