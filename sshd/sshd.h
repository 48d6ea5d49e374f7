/*
 * sshd.h: the SSH front door: host keys, the listener, sessions, and the
 * commands members run over ssh.
 */
#ifndef CAMP_SSHD_H
#define CAMP_SSHD_H

#include "common/common.h"

/* ---- hostkey.c: the camp's SSH host keys -------------------------------- */

/* File names of the host keys inside a camp folder. */
extern const char *const hostkey_files[];
extern const int hostkey_count;

/* Generates every host key (ed25519, and RSA 3072 for older clients) into
 * dir, mode 0600, refusing to overwrite.  Returns 0 or CAMP_EIO. */
int hostkey_create_all(const char *dir);
/* Appends one line per host key, as `ssh-keygen -lf` prints it
 * ("256 SHA256:... (ED25519)"), each prefixed by indent. */
int hostkey_fingerprints(const char *dir, const char *indent, struct buf *out);

/* ---- serve.c: camp serve ------------------------------------------------ */

/* Runs the camp in dir in the foreground until SIGTERM; returns the exit
 * status for main(). */
int sshd_serve(const char *dir);

#endif
