/* tg-model.c — being written */
