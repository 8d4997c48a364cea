/* tg-report.c — being written */
