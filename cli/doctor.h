/*
 * doctor.h: what the checks of `camp doctor` share (cmd-doctor.c holds
 * the table and the local checks, doctor-net.c those that look at the
 * network).  Private to those two files.
 */
#ifndef CAMP_DOCTOR_H
#define CAMP_DOCTOR_H

#include "cli/cli.h"
#include "store/store.h"

/* A check's verdict, worst last. */
enum verdict { DR_OK, DR_NOTE, DR_WARN, DR_FAIL };

/* The camp being examined, and the finding of the check under way. */
struct doctor {
	const char *dir;
	struct config cfg;
	struct store *st;     /* NULL when the database cannot be opened */
	char *db_error;	      /* why not, then */
	struct camp_health h; /* valid when st is not NULL */
	struct buf said, fix; /* what the check found; how to fix it ("" if nothing) */
};

/* One check: a name, and a function that fills d->said (and d->fix for
 * anything short of DR_OK) and returns its verdict. */
struct doctor_check {
	const char *name;
	enum verdict (*run)(struct doctor *d);
};

/* doctor-net.c */
enum verdict doctor_domain(struct doctor *d);
enum verdict doctor_public_url(struct doctor *d);
enum verdict doctor_ports(struct doctor *d);
enum verdict doctor_webfinger(struct doctor *d);

#endif
