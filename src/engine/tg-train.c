/* tg-train.c — being written */
