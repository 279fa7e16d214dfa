// Package samples generates realistic, deterministic input workbooks for the
// assessor: a platform register (平台名录), an events register (重大事项) and,
// for every year, the three annual report rosters of the programmes (科创飞地,
// 科技成果转移转化示范区, 技术创新中心) and the expert scores (专家评分), filled in the
// way platforms and evaluators really fill them in; optionally also the
// published results (历年评估结果) of the year before, which seed the history.
//
// The workbooks carry the mess of real forms: merged titles, a two-row merged
// header with units in full-width brackets, blank rows, note and signature rows,
// a totals row, dates as Excel serials and as text in several forms, numbers
// stored as text with thousands separators, unit variants (元, 亿元) and a
// handful of genuinely bad values at fixed, documented cells (see README.md).
// Values follow each platform's latent quality and yearly trend, so that the
// configured scoring spreads the grades realistically, and the statuses the
// rules derive from them across the years tell a fixed set of stories (a
// rectification restored, two consecutive fails revoked, a revoking event, a
// report not filed …) and no other revocation.
//
// Every workbook is written with excelize's StreamWriter and saved through
// internal/xlsxout, so the same Options always give byte-identical files and
// the same code produces benchmark sets of a million rows. The default set is
// committed under samples/data.
package samples
