/* tg-common.c — being written */
