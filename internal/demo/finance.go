package demo

import (
	"math"
	"math/big"
	"time"

	"github.com/jackc/pgx/v5/pgtype"
)

func financeColumns() []string {
	return []string{"month", "unit_id", "account_group", "budget", "actual"}
}

// accountGroup indexes the account groups of the first migration, in their
// sort order.
type accountGroup int

const (
	sales accountGroup = iota
	fees
	grantsReceived
	otherIncome
	wages
	socialCosts
	purchasedServices
	materials
	grantsPaid
	otherExpenses
	numGroups
)

func (g accountGroup) code() string {
	return [numGroups]string{
		"sales", "fees", "grants_received", "other_income", "wages", "social_costs",
		"purchased_services", "materials", "grants_paid", "other_expenses",
	}[g]
}

func (g accountGroup) income() bool { return g <= otherIncome }

// accounts is a profile's cost and income structure.
type accounts struct {
	wage float64 // average annual wages per person, €
	// Shares of the non-personnel expenses.
	purchased, materials, grants, other float64
	// Income as a share of all operating expenses.
	sales, fees, grantsReceived, otherIncome float64
}

func accountsOf(p profile) accounts {
	return [...]accounts{
		office:         {wage: 46000, purchased: 0.45, materials: 0.08, grants: 0.05, other: 0.42, sales: 0.02, fees: 0.005, grantsReceived: 0.01, otherIncome: 0.01},
		care:           {wage: 37000, purchased: 0.35, materials: 0.15, other: 0.50, fees: 0.09, grantsReceived: 0.005, otherIncome: 0.005},
		school:         {wage: 47000, purchased: 0.25, materials: 0.12, other: 0.63, sales: 0.01, fees: 0.003, grantsReceived: 0.03, otherIncome: 0.01},
		meals:          {wage: 33000, purchased: 0.10, materials: 0.70, other: 0.20, sales: 0.92},
		library:        {wage: 40000, purchased: 0.20, materials: 0.30, other: 0.50, sales: 0.01, fees: 0.02, grantsReceived: 0.02, otherIncome: 0.01},
		sportsFacility: {wage: 39000, purchased: 0.30, materials: 0.15, grants: 0.25, other: 0.30, sales: 0.05, fees: 0.25, otherIncome: 0.02},
		culture:        {wage: 40000, purchased: 0.35, materials: 0.10, grants: 0.35, other: 0.20, sales: 0.04, fees: 0.12, grantsReceived: 0.06, otherIncome: 0.01},
		youth:          {wage: 38000, purchased: 0.30, materials: 0.15, grants: 0.20, other: 0.35, fees: 0.01, grantsReceived: 0.08},
		infra:          {wage: 41000, purchased: 0.70, materials: 0.15, other: 0.15, sales: 0.04, fees: 0.03, otherIncome: 0.03},
		permitOffice:   {wage: 47000, purchased: 0.40, materials: 0.05, other: 0.55, fees: 0.85},
		parkingControl: {wage: 38000, purchased: 0.50, materials: 0.10, other: 0.40, fees: 1.6},
		transport:      {wage: 48000, purchased: 0.95, materials: 0.01, other: 0.04, fees: 0.40, grantsReceived: 0.12},
		facilities:     {wage: 41000, purchased: 0.55, materials: 0.15, other: 0.30, sales: 1.25, otherIncome: 0.03},
		employment:     {wage: 44000, purchased: 0.55, materials: 0.02, grants: 0.30, other: 0.13, sales: 0.02, grantsReceived: 0.30},
		environment:    {wage: 43000, purchased: 0.45, materials: 0.15, grants: 0.05, other: 0.35, sales: 0.05, fees: 0.25, grantsReceived: 0.05},
		service:        {wage: 38000, purchased: 0.30, materials: 0.05, other: 0.65, sales: 0.08, otherIncome: 0.01},
	}[p]
}

// socialCostRate is employer's pension and social security contributions
// as a share of wages.
const socialCostRate = 0.215

// annualBudget returns a unit's budget by account group for the year the
// data ends in, in euros.
func annualBudget(u unitDef) [numGroups]float64 {
	a := accountsOf(u.profile)
	var b [numGroups]float64
	b[wages] = float64(u.headcount) * a.wage
	b[socialCosts] = b[wages] * socialCostRate
	np := u.nonPersonnel * 1e6
	b[purchasedServices] = np * a.purchased
	b[materials] = np * a.materials
	b[grantsPaid] = np * a.grants
	b[otherExpenses] = np * a.other
	total := b[wages] + b[socialCosts] + np
	b[sales] = total * a.sales
	b[fees] = total * a.fees
	b[grantsReceived] = total * a.grantsReceived
	b[otherIncome] = total * a.otherIncome
	return b
}

// monthPattern is how an account group's year divides over the months,
// relative to an even split (January first). Wages dip in July when
// fixed-term staff are off and day-care groups merge, with holiday pay in
// June; winter maintenance makes infrastructure purchases peak in winter.
func monthPattern(p profile, g accountGroup) [12]float64 {
	flat := [12]float64{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}
	switch g {
	case wages, socialCosts:
		switch p {
		case care, school, meals:
			return [12]float64{1, 1, 1, 1, 1, 1.1, 0.62, 0.95, 1, 1, 1, 1.02}
		case infra:
			return [12]float64{1, 1, 1, 1, 1.05, 1.2, 1.05, 1.05, 1, 1, 1, 1.02}
		default:
			return [12]float64{1, 1, 1, 1, 1, 1.12, 0.78, 0.95, 1, 1, 1, 1.02}
		}
	case purchasedServices:
		if p == infra {
			return [12]float64{1.7, 1.6, 1.3, 1.1, 0.8, 0.7, 0.5, 0.6, 0.7, 0.9, 1.1, 1.5}
		}
		return [12]float64{1, 1, 1, 1, 1, 1, 0.7, 0.9, 1, 1, 1, 1.25}
	case materials:
		if p == meals {
			return [12]float64{1, 1, 1, 1, 1, 0.6, 0.2, 0.8, 1, 1, 1, 0.9}
		}
		return [12]float64{1, 1, 1, 1, 1, 0.9, 0.6, 1, 1, 1, 1, 1.1}
	case grantsPaid:
		return [12]float64{2.5, 0.5, 1, 0.5, 0.5, 2, 0.3, 0.5, 1, 0.5, 0.5, 2.2}
	case sales:
		if p == meals {
			return [12]float64{1, 1, 1, 1, 1, 0.6, 0.2, 0.8, 1, 1, 1, 0.9}
		}
	case fees:
		switch p {
		case care:
			// No day-care fee is charged for July.
			return [12]float64{1, 1, 1, 1, 1, 1, 0.05, 1, 1, 1, 1, 1}
		case school, culture, youth, library:
			return [12]float64{1, 1, 1, 1, 1, 0.5, 0.3, 0.7, 1.2, 1.1, 1, 1}
		case sportsFacility:
			return [12]float64{1.2, 1.2, 1.1, 1, 0.9, 0.7, 0.6, 0.7, 1, 1.1, 1.1, 1.1}
		case permitOffice:
			return [12]float64{0.7, 0.8, 1.1, 1.3, 1.4, 1.3, 0.8, 1, 1.1, 1, 0.8, 0.7}
		}
	case grantsReceived:
		// State grants arrive quarterly.
		return [12]float64{0, 0, 3, 0, 0, 3, 0, 0, 3, 0, 0, 3}
	}
	return flat
}

// financeRows generates the monthly finance rows: budgets from the annual
// budget (rising 3 % a year towards the final year), actuals from the
// budget with each unit's usual deviation, a yearly and a monthly wobble,
// and the winter for winter maintenance. Only months up to Until's month
// exist; that month's actual covers the days up to Until.
func financeRows(m *model, seed int64) [][]any {
	r := newRand(seed, streamFinance)
	p := m.period
	lastYear := p.end.Add(-time.Nanosecond).Year()
	var rows [][]any
	for ui, u := range m.units {
		annual := annualBudget(u.unitDef)
		var share [numGroups][12]float64
		for g := range numGroups {
			pat := monthPattern(u.profile, g)
			sum := 0.0
			for _, x := range pat {
				sum += x
			}
			for i, x := range pat {
				share[g][i] = x / sum
			}
		}
		// One deviation per year, drawn in year order.
		yearDev := map[int]float64{}
		for i := range months {
			month := p.month(i)
			y := month.Year()
			if _, ok := yearDev[y]; !ok {
				yearDev[y] = noise(r, 0.02)
			}
			growth := math.Pow(1.03, float64(y-lastYear))
			for g := range numGroups {
				budget := annual[g] * growth * share[g][month.Month()-1]
				if budget == 0 {
					continue
				}
				var actual float64
				if g.income() {
					actual = budget * yearDev[y] * noise(r, 0.08)
				} else {
					actual = budget * u.overBudget * yearDev[y] * noise(r, 0.04)
					if g == purchasedServices && u.profile == infra {
						actual *= m.weather.severity(month)
					}
				}
				actual *= p.elapsed(i)
				rows = append(rows, []any{civilDate(month), m.units[ui].id, g.code(), cents(budget), cents(actual)})
			}
		}
	}
	return rows
}

// cents is an exact numeric with two decimals, so that no binary fraction
// reaches the database.
func cents(euros float64) pgtype.Numeric {
	return fixed(euros, 2)
}

func fixed(x float64, decimals int) pgtype.Numeric {
	scaled := math.Round(x * math.Pow10(decimals))
	return pgtype.Numeric{Int: big.NewInt(int64(scaled)), Exp: int32(-decimals), Valid: true}
}
