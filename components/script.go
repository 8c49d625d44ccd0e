package components

import (
	"context"
	"io"

	"github.com/a-h/templ"
)

// encodedJSONScript is templ.JSONScript for JSON encoded beforehand by
// json.Marshal, which escapes <, > and &, so the data cannot end the
// element. Writing it as it is spares encoding a large chart option again
// at every view of a cached panel.
func encodedJSONScript(id string, js []byte) templ.Component {
	return templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
		open := `<script id="` + templ.EscapeString(id) + `" type="application/json"`
		if nonce := templ.GetNonce(ctx); nonce != "" {
			open += ` nonce="` + templ.EscapeString(nonce) + `"`
		}
		if _, err := io.WriteString(w, open+">"); err != nil {
			return err
		}
		if _, err := w.Write(js); err != nil {
			return err
		}
		_, err := io.WriteString(w, "</script>")
		return err
	})
}
