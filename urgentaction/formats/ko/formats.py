"""Dates in Korean as people write them: 2026년 3월 14일, with a 24-hour clock."""

DATE_FORMAT = "Y년 n월 j일"
DATETIME_FORMAT = "Y년 n월 j일 H:i"
MONTH_DAY_FORMAT = "n월 j일"
TIME_FORMAT = "H:i"
