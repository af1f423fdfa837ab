/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A tenant's network record: what reclaiming its network namespace needs,
 * kept by the ledger where only root writes (never in a tenant-writable
 * place):
 *
 *   <runtimeRoot>/.ledger/<tenant>.netns     the record (key=value text)
 *   <runtimeRoot>/.ledger/netns/<tenant>     the netns pin (an nsfs bind
 *   <runtimeRoot>/.ledger/netns/<tenant>.user       mount), its user ns pin
 *
 * The shim writes it at admission and rewrites it (write, fsync, rename)
 * BEFORE every step that a reclaim must undo: before the pin is made,
 * before each interface moves, and after each move (its index inside).
 * So a shim killed at any point leaves a record that says what was done;
 * `tenantrt reap` or the next admission undoes it (isolate/netns.c).
 */
#ifndef TR_HOST_NETREC_H
#define TR_HOST_NETREC_H

#include <net/if.h>
#include <stdbool.h>

#include "common/error.h"
#include "common/rtnl.h"
#include "config/model.h"
#include "config/netfacts.h"

#define TR_NETREC_PATH_MAX 4096

enum tr_netrec_mode {
	TR_NETREC_OWN = 0,          /* made by tenantrt, pinned */
	TR_NETREC_CONTAINER = 1,    /* the container's own; nothing to undo */
};

/* One interface as it was on the host before its move. */
struct tr_netrec_if {
	char name[IFNAMSIZ];
	int ifindex;                /* on the host */
	int ns_ifindex;             /* inside the tenant's netns; 0: not moved */
	unsigned flags;             /* IFF_* (UP, PROMISC, ALLMULTI restored) */
	unsigned mtu;
	bool has_mac;
	unsigned char mac[TR_MAC_LEN];
	bool has_perm_mac;
	unsigned char perm_mac[TR_MAC_LEN];
	char kind[16];              /* veth dies with the netns; hardware comes
				       back to the host by itself */
	char parent[64];            /* its device (a VF's BDF), "" */
};

struct tr_netrec {
	char tenant[TR_NAME_MAX];
	enum tr_netrec_mode mode;
	bool userns;                            /* owned by a user ns pin */
	unsigned long long host_dev, host_ino;  /* the netns it came from */
	char pin[TR_NETREC_PATH_MAX];
	char user_pin[TR_NETREC_PATH_MAX];
	unsigned long long pin_dev, pin_ino;    /* 0 until pinned */
	unsigned long long user_dev, user_ino;
	unsigned n_ifs;
	struct tr_netrec_if ifs[TR_NET_MAX_IFACES];
};

/* <ledger>/<tenant>.netns and the pins' directory <ledger>/netns. */
void tr_netrec_path(const char *ledger_dir, const char *tenant, char *buf, size_t len);
void tr_netrec_pin_dir(const char *ledger_dir, char *buf, size_t len);

/* Text <-> record. Format: -1 when len is too small. Parse: -1 when the
 * text names no tenant or a line is malformed. */
int tr_netrec_format(const struct tr_netrec *r, char *buf, size_t len);
int tr_netrec_parse(struct tr_netrec *r, const char *text);

/* Read path: 0, 1 when there is no record, -1 with err. */
int tr_netrec_load(const char *path, struct tr_netrec *r, struct tr_error *err);
/* Write path whole (a temporary file, fsync, rename): 0 or -1 with err. */
int tr_netrec_save(const char *path, const struct tr_netrec *r, struct tr_error *err);

/* Calls fn for every record in ledger_dir (status, and where interfaces
 * of other tenants are). */
void tr_netrec_each(const char *ledger_dir,
		    void (*fn)(const struct tr_netrec *r, void *ctx), void *ctx);

#endif
