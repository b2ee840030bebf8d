"""
Training loss per epoch
=======================

``loss_history_`` holds the mean training loss per example of every epoch. Skip-gram
and CBOW, 10 epochs each, with the learning rate decaying linearly (word2vec's schedule)
and held constant.
"""

import matplotlib.pyplot as plt

from skw2v import Word2VecTransformer
from skw2v.datasets import load_kjv

docs = load_kjv().data
fig, ax = plt.subplots(figsize=(7, 4))
for architecture in ("skipgram", "cbow"):
    for decay, min_alpha in (("decaying", 1e-4), ("constant", 0.025)):
        w2v = Word2VecTransformer(architecture=architecture, epochs=10, min_alpha=min_alpha,
                                  n_jobs=-1, random_state=0).fit(docs)  # fmt: skip
        epochs = range(1, len(w2v.loss_history_) + 1)
        ax.plot(epochs, w2v.loss_history_, marker="o", label=f"{architecture}, {decay} rate")
        print(architecture, decay, [round(loss, 3) for loss in w2v.loss_history_])
ax.set_xlabel("epoch")
ax.set_ylabel("mean loss per example")
ax.set_title("Training loss on the King James Bible")
ax.legend()
plt.show()

# %%
# The training loss is measured on examples just before their update, so it levels off
# (and can rise) while the learning rate decays to zero even though the vectors still
# improve; see "Loss and progress" in the user guide.
