package ioc

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestDiscover(t *testing.T) {
	root := t.TempDir()
	mk := func(rel string) string {
		p := filepath.Join(root, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("{}"), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	single := mk("single.txt") // explicit files may have any extension
	mk("dir/b.STIX2")
	mk("dir/a.json")
	mk("dir/sub/c.stix2")
	mk("dir/readme.md")
	mk("dir/.hidden.json")
	mk("dir/.git/x.json")
	envA := mk("env/e.stix2")
	envB := mk("env2/f.json")
	data := mk("data/d.stix2")

	got, err := DiscoverIn([]string{single, filepath.Join(root, "dir"), single},
		envA+string(os.PathListSeparator)+" "+string(os.PathListSeparator)+filepath.Dir(envB), filepath.Dir(data))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{single,
		filepath.Join(root, "dir", "a.json"), filepath.Join(root, "dir", "b.STIX2"), filepath.Join(root, "dir", "sub", "c.stix2"),
		envA, envB, data}
	if !slices.Equal(got, want) {
		t.Errorf("discover =\n%q\nwant\n%q", got, want)
	}

	missing := filepath.Join(root, "nope.stix2")
	if _, err := DiscoverIn([]string{missing}, "", ""); err == nil || !strings.Contains(err.Error(), missing) {
		t.Errorf("missing explicit path: %v", err)
	}
	if _, err := DiscoverIn(nil, missing, ""); err == nil || !strings.Contains(err.Error(), missing) {
		t.Errorf("missing env path: %v", err)
	}
	if got, err := DiscoverIn(nil, "", filepath.Join(root, "no-data-dir")); err != nil || len(got) != 0 {
		t.Errorf("missing data dir: %q, %v", got, err)
	}
}

func TestDiscoverUsesDataDir(t *testing.T) {
	cfg := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", cfg) // Linux
	t.Setenv("HOME", cfg)            // macOS derives the folder from HOME
	t.Setenv("AppData", cfg)         // Windows
	dir, err := DataDir()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(dir, cfg) || filepath.Base(dir) != "indicators" || filepath.Base(filepath.Dir(dir)) != "vigil" {
		t.Fatalf("DataDir = %s", dir)
	}
	if got, err := Discover(nil, ""); err != nil || len(got) != 0 {
		t.Fatalf("no data dir yet: %q, %v", got, err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "x.stix2")
	if err := os.WriteFile(p, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if got, err := Discover(nil, ""); err != nil || !slices.Equal(got, []string{p}) {
		t.Fatalf("Discover = %q, %v", got, err)
	}
}
