// The tiny example migrations the tests apply. The first sleeps so that concurrent runs overlap.
import type { Migration } from "../../src/migrate.js";

export const exampleMigrations: readonly Migration[] = [
  { id: "0001_widgets", sql: "create table widgets (id int primary key); insert into widgets values (1);" },
  { id: "0002_widget_names", sql: "alter table widgets add column name text not null default 'widget';" },
];

export const slowMigrations: readonly Migration[] = [
  { id: "0001_widgets", sql: "select pg_sleep(0.3); create table widgets (id int primary key); insert into widgets values (1);" },
  { id: "0002_widget_names", sql: "alter table widgets add column name text not null default 'widget';" },
];
