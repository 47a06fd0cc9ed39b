package main

import (
	"bufio"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
)

// The commands exportpipe prints for the user to paste (the queries after a
// run, "run ... first") must run as they are. The quick start uses
// `go run`, which puts nothing on the PATH, so they are written the way this
// process was started: `exportpipe` when it was found on the PATH,
// `./bin/exportpipe` when started by a path, and `go run -tags duckdb_arrow
// ./cmd/exportpipe` when started by go run.

var (
	invocationOnce sync.Once
	invocationText string
)

// invocation is the command, as the user would type it, that runs this
// program again from the current directory.
func invocation() string {
	invocationOnce.Do(func() {
		exe, _ := os.Executable()
		wd, _ := os.Getwd()
		invocationText = invocationFor(os.Args[0], exe, wd)
	})
	return invocationText
}

// invocationFor works out the command from the program's name as it was
// started (argv[0]), the executable's path and the working directory.
func invocationFor(arg0, exe, wd string) string {
	if builtByGoRun(exe) {
		if pkg, ok := goRunPackage(wd); ok {
			return "go run -tags duckdb_arrow " + shellQuote(pkg)
		}
		// Outside the module go run cannot build it; an installed
		// binary is the way from there.
		return "exportpipe"
	}
	// As typed: a bare name was found on the PATH and will be again; a
	// path (./exportpipe, bin/exportpipe) works from the same directory.
	return shellQuote(arg0)
}

// builtByGoRun reports whether exe is a binary `go run` built: a fresh
// one it deletes on exit (.../go-build123/b001/exe/exportpipe), or, since
// Go 1.24, one it keeps in the build cache and reuses for the next go run
// of the same sources (.../go-build/ab/<hash>-d/exportpipe).
func builtByGoRun(exe string) bool {
	dir := filepath.Dir(exe)
	inBuildDir := strings.Contains(exe, string(filepath.Separator)+"go-build")
	if cache := os.Getenv("GOCACHE"); cache != "" && strings.HasPrefix(exe, filepath.Clean(cache)+string(filepath.Separator)) {
		inBuildDir = true
	}
	return inBuildDir && (filepath.Base(dir) == "exe" || strings.HasSuffix(filepath.Base(dir), "-d"))
}

// goRunPackage is the command's package as a path go run accepts from wd:
// ./cmd/exportpipe from the module's root, ../cmd/exportpipe from a folder
// in it. It finds the module by walking up to the go.mod that declares the
// module this binary was built from.
func goRunPackage(wd string) (string, bool) {
	bi, ok := debug.ReadBuildInfo()
	if !ok || bi.Main.Path == "" || !strings.HasPrefix(bi.Path, bi.Main.Path) {
		return "", false
	}
	for dir := wd; ; dir = filepath.Dir(dir) {
		if modulePath(filepath.Join(dir, "go.mod")) == bi.Main.Path {
			pkg := filepath.Join(dir, filepath.FromSlash(strings.TrimPrefix(bi.Path, bi.Main.Path)))
			rel, err := filepath.Rel(wd, pkg)
			if err != nil {
				return "", false
			}
			if rel == "." {
				return ".", true
			}
			if !strings.HasPrefix(rel, "..") {
				rel = "." + string(filepath.Separator) + rel
			}
			return rel, true
		}
		if filepath.Dir(dir) == dir {
			return "", false
		}
	}
}

// modulePath is the module a go.mod declares, or "".
func modulePath(gomod string) string {
	f, err := os.Open(gomod)
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(sc.Text()), "module "); ok {
			return strings.Trim(strings.TrimSpace(rest), `"`)
		}
	}
	return ""
}
