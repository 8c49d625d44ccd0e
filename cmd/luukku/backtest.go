package main

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/luukku-bi/luukku/dashboards"
	"github.com/luukku-bi/luukku/internal/forecast"
	"github.com/luukku-bi/luukku/internal/i18n"
)

// backtest measures the monthly feedback forecast on the data at hand: it
// holds out the last complete months of the whole city's feedback (a year,
// or what is left after the two years the model needs to fit), forecasts
// them from the months before, and reports the mean absolute percentage
// error.
func backtest(ctx context.Context, pool *pgxpool.Pool, set *dashboards.Set, now time.Time) (string, error) {
	cat := set.Queries()
	units, _ := cat.Get("ref_units")
	ref, err := units.Run(ctx, pool, nil)
	if err != nil {
		return "", err
	}
	if len(ref.Rows) == 0 {
		return "no backtest: the database has no data", nil
	}
	today := now.In(i18n.Helsinki())
	end := time.Date(today.Year(), today.Month(), 0, 0, 0, 0, 0, i18n.Helsinki()) // the last complete month
	q, _ := cat.Get("feedback_by_month")
	res, err := q.Run(ctx, pool, map[string]any{
		"from": end.AddDate(-5, 0, 1), "to": end, "unit": ref.Rows[0][1], "channels": []string{},
	})
	if err != nil {
		return "", err
	}
	var y []float64
	for _, r := range res.Rows {
		y = append(y, float64(r[1].(int64)))
	}
	held := min(12, len(y)-24)
	if held < 6 {
		return fmt.Sprintf("no backtest: %d months of feedback; the forecast needs 24 to fit and 6 to test", len(y)), nil
	}
	mape, err := forecast.Backtest(y, 12, held)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("forecast backtest: feedback per month, whole city, %d months to fit, %d held out: MAPE %s %%",
		len(y)-held, held, i18n.Number(mape, 1)), nil
}
