package xlsxin

import (
	"math"
	"time"
)

// Day 0 of the 1900 date system is 1899-12-30 for serials after the phantom
// 1900-02-29 (serial 60, kept from Lotus 1-2-3); the 1904 system counts from
// 1904-01-01.
var (
	epoch1900 = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	epoch1904 = time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC)
)

// maxSerial is 9999-12-31 in the 1900 system.
const maxSerial = 2958465

// SerialTime converts an Excel date serial — days, with the time of day as
// the fraction — in the workbook's date system, rounded to the millisecond.
// Serials before the system's first day, after 9999-12-31, and the phantom
// 1900-02-29 are not dates.
func SerialTime(n float64, date1904 bool) (time.Time, bool) {
	if math.IsNaN(n) || n < 0 || n >= maxSerial+1 {
		return time.Time{}, false
	}
	days := math.Floor(n)
	ms := math.Round((n - days) * 86400e3)
	epoch := epoch1904
	if !date1904 {
		epoch = epoch1900
		switch {
		case days == 60:
			return time.Time{}, false
		case days < 60 && days >= 1:
			days++
		}
	}
	return epoch.AddDate(0, 0, int(days)).Add(time.Duration(ms) * time.Millisecond), true
}
