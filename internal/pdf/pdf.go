// Package pdf prints pages of this server onto A4 in headless Chromium, as
// the person who asked: the browser carries their session cookie, so the
// page it prints is exactly the one they would see, scope and all.
package pdf

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os/exec"
	"strings"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// The page is laid out at the width A4 leaves between the print
// stylesheet's margins (210 mm − 2 × 12 mm at 96 px per inch), so that
// charts are drawn at the size they are printed.
const (
	layoutWidth  = 703
	layoutHeight = 1000
	paperWidth   = 8.27 // A4 in inches
	paperHeight  = 11.69
)

// slotWait is how long a print waits for a free slot before it gives up:
// a person would rather be told to try again than watch a spinner.
const slotWait = 5 * time.Second

// ErrBusy means every print slot stayed taken for slotWait.
var ErrBusy = errors.New("pdf: the printer is busy")

// Printer prints pages with a Chromium binary.
type Printer struct {
	chromium string
	base     string
	timeout  time.Duration
	slots    chan struct{}
}

// Find returns the path of an installed Chromium or Chrome, or "".
func Find() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	return ""
}

// Options start chromium headless with a window of width × height, as
// this server's own pages need it: no sandbox, for it opens only pages
// under their Content-Security-Policy and the sandbox needs privileges
// that a service account or a container often lacks; and none of the
// browser's own network traffic, which a closed network refuses.
func Options(chromium string, width, height int) []chromedp.ExecAllocatorOption {
	return append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.WindowSize(width, height),
	)
}

// New returns a printer that runs chromium, reaches the server at base
// (such as http://127.0.0.1:8080) and prints at most concurrent pages at
// once: each print is a browser process of a few hundred megabytes.
func New(chromium, base string, concurrent int) *Printer {
	return &Printer{
		chromium: chromium,
		base:     strings.TrimSuffix(base, "/"),
		timeout:  45 * time.Second, // within the server's write timeout
		slots:    make(chan struct{}, max(concurrent, 1)),
	}
}

// SetBase changes where the browser reaches the server; a server learns
// its address only once it listens.
func (p *Printer) SetBase(base string) { p.base = strings.TrimSuffix(base, "/") }

// Print opens path (with its query) on the server with the cookies, waits
// until ready is true in the page, and returns the page printed on A4.
// The footer carries the page's title and the page numbers.
func (p *Printer) Print(ctx context.Context, path string, cookies []*http.Cookie, ready string) ([]byte, error) {
	wait := time.NewTimer(slotWait)
	defer wait.Stop()
	select {
	case p.slots <- struct{}{}:
		defer func() { <-p.slots }()
	case <-wait.C:
		return nil, ErrBusy
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	ctx, cancel := context.WithTimeout(ctx, p.timeout)
	defer cancel()
	alloc, cancelAlloc := chromedp.NewExecAllocator(ctx, Options(p.chromium, layoutWidth, layoutHeight)...)
	defer cancelAlloc()
	bctx, cancelBrowser := chromedp.NewContext(alloc)
	defer cancelBrowser()

	if err := chromedp.Do(bctx, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		for _, c := range cookies {
			if _, err := chromedp.Call(ctx, network.SetCookie, network.SetCookieParams{
				Name: c.Name, Value: c.Value, URL: p.base + "/", HTTPOnly: new(true), SameSite: network.CookieSameSiteLax,
			}); err != nil {
				return fmt.Errorf("set cookie: %w", err)
			}
		}
		if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
			return fmt.Errorf("emulate print: %w", err)
		}
		_, err := chromedp.Call(ctx, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{
			Width: layoutWidth, Height: layoutHeight, DeviceScaleFactor: 1,
		})
		return err
	})); err != nil {
		return nil, fmt.Errorf("pdf: start chromium %s: %w", p.chromium, err)
	}
	resp, err := chromedp.RunResponse(bctx, chromedp.Navigate(p.base+path))
	if err != nil {
		return nil, fmt.Errorf("pdf: open %s: %w", path, err)
	}
	if resp.Status != http.StatusOK || !strings.HasSuffix(resp.URL, path) {
		return nil, fmt.Errorf("pdf: open %s: %d at %s", path, resp.Status, resp.URL)
	}
	if _, err := chromedp.Run(bctx, chromedp.Poll[bool](ready, chromedp.WithPollingTimeout(30*time.Second))); err != nil {
		return nil, fmt.Errorf("pdf: wait for %s: %w", path, err)
	}
	res, err := chromedp.Call(bctx, page.PrintToPDF, page.PrintToPDFParams{
		PaperWidth:          paperWidth,
		PaperHeight:         paperHeight,
		PreferCSSPageSize:   new(true),
		PrintBackground:     new(true),
		DisplayHeaderFooter: new(true),
		HeaderTemplate:      `<span></span>`,
		FooterTemplate: `<div style="font: 8px sans-serif; color: #55626f; width: 100%; margin: 0 12mm; display: flex; justify-content: space-between">` +
			`<span class="title"></span><span><span class="pageNumber"></span> / <span class="totalPages"></span></span></div>`,
	})
	if err != nil {
		return nil, fmt.Errorf("pdf: print %s: %w", path, err)
	}
	return res.Data, nil
}
