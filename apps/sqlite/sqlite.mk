# apps/sqlite/sqlite.mk -- the sqlite3 shell from Debian's source package
# (apps/sqlite/build.sh), for SqliteIT.  `make apps` builds every real
# application; other fragments add their own prerequisites to it.

SQLITE_OUT := $(BUILD)/apps/sqlite/sqlite3

.PHONY: apps sqlite
apps: sqlite
sqlite: $(SQLITE_OUT)

$(SQLITE_OUT): apps/sqlite/build.sh
	nice -n 10 apps/sqlite/build.sh $(BUILD)

# SqliteIT needs the shell: `make test` builds it first.
test: apps
