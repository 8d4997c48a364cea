/* tg-experiment.c — being written */
