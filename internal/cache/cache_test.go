package cache

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func constant(v string, size int64) func(context.Context) (string, int64, error) {
	return func(context.Context) (string, int64, error) { return v, size, nil }
}

func TestGetKeepsAndEvictsBySize(t *testing.T) {
	ctx := context.Background()
	c := New[string](100)
	steps := []struct {
		key, value string
		size       int64
		want       string // what Get returns: the kept value when held
	}{
		{"a", "A", 40, "A"},
		{"b", "B", 40, "B"},
		{"a", "new", 40, "A"}, // held: a is used again, so b is the oldest
		{"c", "C", 40, "C"},   // 120 > 100: b goes
		{"b", "B2", 40, "B2"}, // computed again; 120 > 100: a goes
		{"c", "C2", 40, "C"},
		{"a", "A2", 40, "A2"},
		{"huge", "H", 101, "H"}, // larger than the cache: returned, not kept
		{"huge", "H2", 101, "H2"},
	}
	for i, s := range steps {
		got, err := c.Get(ctx, s.key, constant(s.value, s.size))
		if err != nil || got != s.want {
			t.Fatalf("step %d: Get(%s) = %q, %v; want %q", i, s.key, got, err, s.want)
		}
	}
	st := c.Stats()
	if st.Hits != 2 || st.Misses != 7 || st.Entries != 2 || st.Bytes != 80 {
		t.Errorf("stats %+v", st)
	}
	c.DeleteFunc(func(key string) bool { return key == "a" })
	_, a := c.Peek("a")
	if v, ok := c.Peek("c"); a || v != "C" || !ok {
		t.Errorf("after deleting a: a held %v, c = %q, %v", a, v, ok)
	}
	if st := c.Stats(); st.Entries != 1 || st.Bytes != 40 {
		t.Errorf("after deleting a: %+v", st)
	}
}

func TestErrorsAreNotKept(t *testing.T) {
	c := New[int](100)
	boom := errors.New("boom")
	if _, err := c.Get(context.Background(), "k", func(context.Context) (int, int64, error) { return 0, 1, boom }); !errors.Is(err, boom) {
		t.Fatalf("got %v", err)
	}
	v, err := c.Get(context.Background(), "k", func(context.Context) (int, int64, error) { return 7, 1, nil })
	if err != nil || v != 7 {
		t.Errorf("after a failure: %d, %v", v, err)
	}
}

// Many callers at once for one missing key: one computation, one answer.
func TestConcurrentMissesRunOnce(t *testing.T) {
	c := New[string](1 << 20)
	var runs atomic.Int32
	release := make(chan struct{})
	load := func(context.Context) (string, int64, error) {
		runs.Add(1)
		<-release
		return "v", 1, nil
	}
	const callers = 50
	var wg sync.WaitGroup
	results := make([]string, callers)
	for i := range callers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], _ = c.Get(context.Background(), "k", load)
		}()
	}
	time.Sleep(50 * time.Millisecond) // let them all queue behind the first
	close(release)
	wg.Wait()
	if n := runs.Load(); n != 1 {
		t.Errorf("%d computations for %d callers", n, callers)
	}
	for i, r := range results {
		if r != "v" {
			t.Fatalf("caller %d got %q", i, r)
		}
	}
	if st := c.Stats(); st.Misses != 1 || st.Hits != callers-1 {
		t.Errorf("stats %+v", st)
	}
}

// A caller that gives up does not fail the one that waits with it.
func TestAWaiterOutlivesTheFirstCaller(t *testing.T) {
	c := New[string](100)
	release := make(chan struct{})
	load := func(ctx context.Context) (string, int64, error) {
		select {
		case <-release:
			return "v", 1, nil
		case <-ctx.Done():
			return "", 0, ctx.Err()
		}
	}
	first, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() {
		_, err := c.Get(first, "k", load)
		errc <- err
	}()
	time.Sleep(20 * time.Millisecond)
	second := make(chan string, 1)
	go func() {
		v, _ := c.Get(context.Background(), "k", load)
		second <- v
	}()
	time.Sleep(20 * time.Millisecond)
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Errorf("the first caller: %v", err)
	}
	close(release)
	if v := <-second; v != "v" {
		t.Errorf("the second caller got %q", v)
	}
}

func BenchmarkHit(b *testing.B) {
	c := New[string](1 << 20)
	for i := range 1000 {
		c.Get(context.Background(), fmt.Sprint(i), constant("v", 10))
	}
	b.ResetTimer()
	for i := range b.N {
		c.Get(context.Background(), fmt.Sprint(i%1000), constant("v", 10))
	}
}

// Peek answers from what is held and computes nothing; Put keeps a value
// under the same bound as Get.
func TestPeekAndPut(t *testing.T) {
	c := New[string](100)
	if v, ok := c.Peek("a"); ok {
		t.Fatalf("Peek on an empty cache: %q", v)
	}
	c.Put("a", "A", 60)
	if v, ok := c.Peek("a"); !ok || v != "A" {
		t.Fatalf("Peek after Put: %q, %v", v, ok)
	}
	c.Put("b", "B", 60) // 120 > 100: a, the older, goes
	if _, ok := c.Peek("a"); ok {
		t.Error("a was kept past the bound")
	}
	if v, err := c.Get(context.Background(), "b", constant("computed", 1)); err != nil || v != "B" {
		t.Errorf("Get after Put: %q, %v", v, err)
	}
	if st := c.Stats(); st.Hits != 2 || st.Misses != 2 || st.Entries != 1 || st.Bytes != 60 {
		t.Errorf("stats %+v", st)
	}
}
