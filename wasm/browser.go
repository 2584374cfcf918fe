//go:build wasm

package main

// serverMain is empty in the browser: the static site is written natively.
func serverMain() {}
