package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
)

// plantedAction is a development action of the demo city with the effect
// it has on the feedback, so that the close-the-loop dashboard has real
// before/after differences to find — and one action whose change is only
// noise, and one still under way.
type plantedAction struct {
	code, title, description, unit, owner string
	themes                                []string
	// Days before the end of the period; done 0 = not done yet.
	decided, started, done int
	// After done, this share of the complaints on the themes in the unit
	// arrive as other kinds of feedback instead, and responses take speed
	// times as long.
	complaintCut, speed float64
}

var plantedActions = []plantedAction{
	{code: "demo-talvikunnossapito", unit: "katujen_kunnossapito", themes: []string{"street_maintenance"},
		title:       "Talvikunnossapidon tehostettu kierto",
		description: "Aurauksen ja hiekoituksen kierto tihennettiin kevyen liikenteen väylillä palautteen perusteella.",
		owner:       "Kunnossapitopäällikkö", decided: 420, started: 390, done: 330, complaintCut: 0.35, speed: 0.7},
	{code: "demo-chat-illat", unit: "neuvonta", themes: []string{"customer_service", "digital_services"},
		title:       "Chat-neuvonta myös iltaisin",
		description: "Chat-palvelun aukioloa jatkettiin klo 20:een ja vastausvalmiita pohjia lisättiin.",
		owner:       "Asiakaspalvelupäällikkö", decided: 300, started: 260, done: 220, complaintCut: 0.25, speed: 0.6},
	{code: "demo-puistojen-roska-astiat", unit: "puistot", themes: []string{"waste_cleanliness", "parks"},
		title:       "Puistojen roska-astioiden tyhjennysvälin tihennys",
		description: "Kesäkauden tyhjennyksiä lisättiin suosituimmissa puistoissa ja astioita lisättiin leikkipaikoille.",
		owner:       "Viheraluepäällikkö", decided: 250, started: 230, done: 180, complaintCut: 0.4, speed: 1},
	{code: "demo-rakennuslupaneuvonta", unit: "rakennusvalvonta", themes: []string{"permits"},
		title:       "Sähköisen rakennuslupahaun neuvonta-ajat",
		description: "Viikoittaiset etäneuvonta-ajat sähköisen luvan hakijoille.",
		owner:       "Rakennusvalvontapäällikkö", decided: 200, started: 190, done: 150, complaintCut: 0, speed: 1},
	{code: "demo-katuvalot", unit: "kunnallistekniikka", themes: []string{"street_lighting"},
		title:       "Katuvalojen vikailmoitusten nopeampi käsittely",
		description: "Vikailmoitukset ohjataan suoraan urakoitsijalle karttapaikan kanssa.",
		owner:       "Kunnallisteknikan päällikkö", decided: 80, started: 45, complaintCut: 0.3, speed: 0.5},
}

// slippingUnit answers ever slower over the last slipDays of the period:
// the service-level dashboard should find it.
const (
	slippingUnit = "ymparistoterveys"
	slipDays     = 120
	slipSpeed    = 1.8
)

// effects are the planted actions and the slip, laid out for the
// generator: per unit index, what changes from which day on.
type effects struct {
	r      *rand.Rand
	byUnit map[int][]effect
}

type effect struct {
	from         int // day index
	themes       []string
	complaintCut float64
	speed        float64
}

func newEffects(m *model, seed int64) effects {
	e := effects{r: newRand(seed, streamActions), byUnit: map[int][]effect{}}
	index := map[string]int{}
	for i, u := range m.units {
		index[u.code] = i
	}
	for _, a := range plantedActions {
		if a.done == 0 {
			continue
		}
		u := index[a.unit]
		e.byUnit[u] = append(e.byUnit[u], effect{from: m.period.days - a.done, themes: a.themes, complaintCut: a.complaintCut, speed: a.speed})
	}
	u := index[slippingUnit]
	e.byUnit[u] = append(e.byUnit[u], effect{from: m.period.days - slipDays, speed: slipSpeed, complaintCut: 0})
	return e
}

// apply returns how feedback on theme to unit u on day is changed: whether
// a complaint becomes another kind, and the factor on response times.
func (e effects) apply(u, day int, theme string, k kind) (otherKind bool, speed float64) {
	speed = 1
	for _, ef := range e.byUnit[u] {
		if day < ef.from {
			continue
		}
		if ef.themes != nil && !slices.Contains(ef.themes, theme) {
			continue
		}
		speed *= ef.speed
		if k == complaint && ef.complaintCut > 0 && e.r.Float64() < ef.complaintCut {
			otherKind = true
		}
	}
	return otherKind, speed
}

const deleteActionsSQL = `DELETE FROM development_action WHERE code LIKE 'demo-%'`

// insertActions writes the planted actions, dated from the period's end.
func insertActions(ctx context.Context, tx pgx.Tx, p period) (int, error) {
	day := func(before int) any {
		if before == 0 {
			return nil
		}
		return p.end.AddDate(0, 0, -before).Format(time.DateOnly)
	}
	for _, a := range plantedActions {
		_, err := tx.Exec(ctx, `INSERT INTO development_action
			(code, title, description, unit_id, themes, owner_role, decided_on, started_on, done_on)
			SELECT $1, $2, $3, id, $5, $6, $7::date, $8::date, $9::date FROM org_unit WHERE code = $4`,
			a.code, a.title, a.description, a.unit, a.themes, a.owner, day(a.decided), day(a.started), day(a.done))
		if err != nil {
			return 0, fmt.Errorf("insert action %s: %w", a.code, err)
		}
	}
	return len(plantedActions), nil
}
