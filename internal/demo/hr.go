package demo

import (
	"math"
)

func hrColumns() []string {
	return []string{"month", "unit_id", "headcount", "fte", "sick_leave_days", "overtime_hours", "leavers"}
}

// staffing is a profile's typical HR figures.
type staffing struct {
	partTime float64 // FTE per person
	sickness float64 // sick-leave days per calendar day per FTE
	overtime float64 // hours per person and month
	turnover float64 // leavers per person and year
	// summer multiplies headcount in June, July and August: summer workers
	// in parks and streets, fixed-term staff off in schools.
	summer [3]float64
}

func staffingOf(p profile) staffing {
	s := staffing{partTime: 0.96, sickness: 0.045, overtime: 0.8, turnover: 0.08, summer: [3]float64{1, 1, 1}}
	switch p {
	case office, service, permitOffice, transport:
		s.sickness = 0.035
	case care:
		s.partTime, s.overtime, s.turnover = 0.95, 0.3, 0.13
		s.summer = [3]float64{0.97, 0.88, 0.98}
	case school:
		s.partTime, s.overtime = 0.93, 0.5
		s.summer = [3]float64{0.96, 0.86, 0.98}
	case meals:
		s.turnover = 0.12
		s.summer = [3]float64{0.95, 0.85, 0.97}
	case culture:
		s.partTime = 0.85 // many part-time teachers and instructors
	case sportsFacility:
		s.overtime = 1.5
	case infra:
		s.overtime = 2.5
		s.summer = [3]float64{1.2, 1.25, 1.15}
	}
	return s
}

// hrRows generates a row per unit and month: headcount at month end, FTE,
// sick-leave days, overtime and leavers. Sickness peaks in winter, overtime
// in infrastructure follows the snow, and leavers cluster at the turn of
// the school year. Units of fewer than five people stay below five. The
// last month holds the figures up to Until.
func hrRows(m *model, seed int64) [][]any {
	r := newRand(seed, streamHR)
	p := m.period
	sickSeason := [12]float64{1.3, 1.35, 1.2, 1.0, 0.9, 0.75, 0.5, 0.8, 1.0, 1.1, 1.2, 1.15}
	leaverSeason := [12]float64{0.8, 0.7, 0.8, 0.8, 0.9, 2.0, 1.5, 1.5, 0.8, 0.8, 0.8, 1.3}
	var rows [][]any
	for ui, u := range m.units {
		s := staffingOf(u.profile)
		for i := range months {
			month := p.month(i)
			mo := int(month.Month()) - 1
			elapsed := p.elapsed(i)

			// Staff grow about 0.5 % a year towards the final month.
			base := float64(u.headcount) * (1 - 0.005*float64(months-1-i)/12)
			if mo >= 5 && mo <= 7 {
				base *= s.summer[mo-5]
			}
			headcount := int(math.Round(base * noise(r, 0.015)))
			if u.headcount < 5 {
				headcount = u.headcount
				if r.Float64() < 0.1 {
					headcount--
				}
				headcount = max(1, headcount)
			}
			fte := min(float64(headcount), float64(headcount)*s.partTime*noise(r, 0.01))

			sick := fte * float64(daysIn(month)) * elapsed * s.sickness * u.sick * sickSeason[mo] * noise(r, 0.12)

			overtime := float64(headcount) * s.overtime * elapsed * noise(r, 0.3)
			if u.profile == infra && (mo <= 2 || mo >= 10) {
				overtime *= 2.5 * m.weather.severity(month)
			}
			leavers := poisson(r, float64(headcount)*s.turnover/12*leaverSeason[mo]*elapsed)

			rows = append(rows, []any{civilDate(month), m.units[ui].id, int32(headcount),
				fixed(fte, 2), fixed(sick, 1), fixed(overtime, 1), int32(leavers)})
		}
	}
	return rows
}
