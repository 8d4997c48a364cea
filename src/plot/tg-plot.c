/* tg-plot.c — being written */
