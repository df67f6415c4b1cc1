"""Runs emfilter's SQL statements in DuckDB or Spark SQL for the differential tests.

    python3 tests/sql/engines.py REQUEST.json

The request (written by tests/sql/engines.rs) names the engine, the tables (each with its
CREATE TABLE, the CSV and JSON-lines files of its rows and its columns) and the statements with
their parameters. Each table is created with its own statement and loaded with the engine's own
loader (DuckDB: COPY from the CSV; Spark: the JSON lines read with the table's schema, then
INSERT INTO the created table). Every statement is run as given, and the answer, printed as JSON
on standard output, is the value of the key column of each row it selected, or the error.
"""

import json
import sys


def param(p):
    return p["value"]


def run_duckdb(request):
    import duckdb

    con = duckdb.connect()
    for table in request["tables"]:
        con.execute(table["create"])
        # The CSV as emfilter writes it: NULL is an empty field, text is always quoted, so a
        # quoted empty field is the empty string.
        path = table["csv"].replace("'", "''")
        con.execute(
            f"COPY {table['name']} FROM '{path}' "
            "(FORMAT csv, HEADER true, ALLOW_QUOTED_NULLS false)"
        )
    answers = []
    for query in request["queries"]:
        try:
            cur = con.execute(query["sql"], [param(p) for p in query["params"]])
            names = [d[0] for d in cur.description]
            at = names.index(request["key"])
            answers.append({"keys": sorted(row[at] for row in cur.fetchall())})
        except Exception as e:  # reported per statement
            answers.append({"error": f"{type(e).__name__}: {e}"})
    return answers


def run_spark(request):
    import os
    from pyspark.sql import SparkSession

    work = request["work"]
    spark = (
        SparkSession.builder.master("local[2]")
        .appName("emfilter-differential")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "1")
        .config("spark.sql.session.timeZone", "UTC")
        # Instants before 1900 (0001-01-01 is one) are written and read in the proleptic
        # Gregorian calendar, as they are, instead of failing over Spark 2's hybrid calendar.
        .config("spark.sql.parquet.int96RebaseModeInWrite", "CORRECTED")
        .config("spark.sql.parquet.int96RebaseModeInRead", "CORRECTED")
        .config("spark.sql.parquet.datetimeRebaseModeInWrite", "CORRECTED")
        .config("spark.sql.parquet.datetimeRebaseModeInRead", "CORRECTED")
        .config("spark.sql.warehouse.dir", os.path.join(work, "spark-warehouse"))
        .config("spark.driver.extraJavaOptions", f"-Dderby.system.home={work}")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    for i, table in enumerate(request["tables"]):
        spark.sql(table["create"])
        schema = ", ".join(
            "`" + c["name"].replace("`", "``") + "` " + c["type"] for c in table["columns"]
        )
        rows = (
            spark.read.schema(schema)
            .option("mode", "FAILFAST")
            .json(table["jsonl"])
        )
        view = f"emfilter_rows_{i}"
        rows.createOrReplaceTempView(view)
        spark.sql(f"INSERT INTO {table['name']} SELECT * FROM {view}")
        spark.sql(f"CACHE TABLE {table['name']}")
    answers = []
    for query in request["queries"]:
        try:
            args = {f"p{i + 1}": param(p) for i, p in enumerate(query["params"])}
            df = spark.sql(query["sql"], args=args) if args else spark.sql(query["sql"])
            keys = [row[request["key"]] for row in df.select(request["key"]).collect()]
            answers.append({"keys": sorted(keys)})
        except Exception as e:  # reported per statement
            answers.append({"error": f"{type(e).__name__}: {str(e)[:2000]}"})
    spark.stop()
    return answers


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        request = json.load(f)
    engine = request["engine"]
    if engine == "duckdb":
        answers = run_duckdb(request)
    elif engine == "spark":
        answers = run_spark(request)
    else:
        raise SystemExit(f"unknown engine {engine}")
    json.dump({"answers": answers}, sys.stdout)


if __name__ == "__main__":
    main()
