"""The documented recipe: document vectors of a Spark DataFrame column with a pandas UDF.
pyspark is in the test extra; it needs Java 17 or later (docs/large-corpora.md runs the
same recipe through tests/test_guide.py)."""

import numpy as np
import pytest
from conftest import java_missing

pytest.importorskip("pyspark")
pytestmark = pytest.mark.skipif(java_missing() is not None, reason=f"needs {java_missing()}")


def test_a_pandas_udf_transforms_a_spark_column_like_transform(kjv_docs):
    import pandas as pd
    from pyspark.sql import SparkSession
    from pyspark.sql.functions import pandas_udf
    from pyspark.sql.types import ArrayType, FloatType

    from skw2v import Word2VecTransformer

    text = [" ".join(doc) for doc in kjv_docs[0][:300]]
    model = Word2VecTransformer(vector_size=8, min_count=2, epochs=1, n_jobs=1,
                                random_state=0, analyzer="word").fit(text)  # fmt: skip
    spark = (
        SparkSession.builder.master("local[2]")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        .getOrCreate()
    )
    try:
        shared = spark.sparkContext.broadcast(model)

        @pandas_udf(ArrayType(FloatType()))
        def embed(documents: pd.Series) -> pd.Series:
            return pd.Series(list(shared.value.transform(documents.tolist())))

        frame = spark.createDataFrame(pd.DataFrame({"id": range(len(text)), "text": text}))
        rows = frame.withColumn("vector", embed("text")).orderBy("id").collect()
    finally:
        spark.stop()
    np.testing.assert_array_equal(np.array([row["vector"] for row in rows], np.float32),
                                  model.transform(text))  # fmt: skip
