/* tg-checkpoint.c — being written */
