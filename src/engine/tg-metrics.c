/* tg-metrics.c — being written */
