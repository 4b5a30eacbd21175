"""The seed's Spark job, as npm run bench runs it against the pipeline's own stack.

The system this project reimplements consumed users_created with Spark Structured Streaming and wrote
each record to spark_streams.created_users through DataStax's Cassandra connector, with the
connector's default settings. This is that job with two changes the stack asks for: the records are
Avro in the schema registry's wire format (a magic byte and a four-byte schema id before the Avro
body), not JSON; and it drains what the topic holds and stops (Trigger.AvailableNow), so that a
backlog's drain can be timed. It prints one line of JSON: the seconds Spark took to start, the seconds
the query took, the seconds of those its batches spent writing (Spark's addBatch: reading, decoding
and writing, without the query's planning), and the rows it read.
"""

import argparse
import json
import time

from pyspark.sql import SparkSession
from pyspark.sql.avro.functions import from_avro
from pyspark.sql.functions import expr

# The registry's wire format: magic byte 0, then the schema id as four bytes, then the Avro body.
REGISTRY_HEADER_BYTES = 5


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--brokers", required=True)
    parser.add_argument("--topic", required=True)
    parser.add_argument("--schema", required=True, help="the Avro schema the records were written with (a file)")
    parser.add_argument("--cassandra-host", required=True)
    parser.add_argument("--cassandra-port", required=True)
    parser.add_argument("--checkpoint", required=True)
    parser.add_argument("--jars", required=True, help="the connectors' jars, comma-separated")
    parser.add_argument("--conf", action="append", default=[], help="key=value, a Spark setting over the seed's defaults")
    args = parser.parse_args()

    started = time.monotonic()
    builder = (
        SparkSession.builder.appName("spark-stream")
        # The seed ran one worker beside its master; here Spark has the machine's two cores, as the
        # pipeline does under sls offline.
        .master("local[2]")
        .config("spark.jars", args.jars)
        .config("spark.cassandra.connection.host", args.cassandra_host)
        .config("spark.cassandra.connection.port", args.cassandra_port)
        .config("spark.ui.enabled", "false")
    )
    for setting in args.conf:
        key, _, value = setting.partition("=")
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("WARN")
    with open(args.schema, encoding="utf-8") as schema_file:
        schema = schema_file.read()
    session_ready = time.monotonic()

    records = (
        spark.readStream.format("kafka")
        .option("kafka.bootstrap.servers", args.brokers)
        .option("subscribe", args.topic)
        .option("startingOffsets", "earliest")
        .load()
    )
    body = expr(f"substring(value, {REGISTRY_HEADER_BYTES + 1}, length(value) - {REGISTRY_HEADER_BYTES})")
    users = records.select(from_avro(body, schema).alias("user")).select("user.*")
    query = (
        users.writeStream.format("org.apache.spark.sql.cassandra")
        .option("keyspace", "spark_streams")
        .option("table", "created_users")
        .option("checkpointLocation", args.checkpoint)
        .trigger(availableNow=True)
        .start()
    )
    query.awaitTermination()
    ended = time.monotonic()
    progress = query.recentProgress
    rows = sum(batch["numInputRows"] for batch in progress)
    write_seconds = sum(batch["durationMs"].get("addBatch", 0) for batch in progress) / 1000
    figures = {"startSeconds": session_ready - started, "querySeconds": ended - session_ready, "writeSeconds": write_seconds, "rows": rows}
    print(json.dumps(figures), flush=True)
    spark.stop()


if __name__ == "__main__":
    main()
