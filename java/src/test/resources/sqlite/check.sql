PRAGMA integrity_check;
PRAGMA journal_mode;
SELECT count(*), sum(id), printf('%.2f', sum(v)) FROM t;
SELECT id, name, v FROM t WHERE id % 333 = 0 ORDER BY id;
SELECT name, v FROM t WHERE name IN ('alpha', 'beta', 'gamma', 'rolled-back') ORDER BY name;
