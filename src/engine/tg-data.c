/* tg-data.c — being written */
