"""Thresholds: every number a rule compares a measurement with, in one place.

Change one for a whole diagnosis with `dataclasses.replace(Thresholds(), overfit_rise=0.2)`.
Ratios are plain fractions (0.10 means 10 %); windows count epochs.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Thresholds:
    """The named limits of every rule. Set first on synthetic curves; those in bench/diagnosis.py's `TUNED` were then
    chosen on the labelled corpus's calibration side (`python bench/diagnosis.py --tune`; docs/RULES.md)."""

    # --- shared ---------------------------------------------------------------------------------
    min_epochs: int = 5  # curve rules need at least this many finished epochs
    patience: int = 3  # epochs averaged for an "end level"; a condition must hold this long
    smooth_window: int = 3  # centred moving average used to take noise out of a curve

    # --- overfitting ----------------------------------------------------------------------------
    overfit_rise: float = 0.10  # end val_loss above its (smoothed) minimum by this share -> overfitting
    overfit_noise_factor: float = 3.0  # ... and by this many relative noise sds of val_loss
    overfit_train_drop: float = 0.10  # ... while train loss fell at least this share since the best epoch
    overfit_train_rebound: float = 0.10  # ... and did not end this share above its lowest since then (both rise)
    overfit_rebound_share: float = 0.2  # ... unless that rebound is below this share of val_loss's rise (it leads)
    overfit_fitting_share: float = 0.5  # ... or this share of the rise came while the train loss still fell
    overfit_fitting_rise: float = 0.5  # a val_loss rise this large made while the train loss still fell: overfitting
    overfit_min_val_samples: int = 100  # a rise measured on fewer validation samples is only an info ...
    overfit_few_samples_scale: float = 4.0  # ... unless it reaches this / sqrt(samples) (its sampling error ~ 1/sqrt n)
    overfit_min_extra_nats: float = 2.3  # a cross-entropy rise summed over the validation samples below this (ln 10,
    # one prediction turning 90 % confidently wrong) is only an info
    overfit_stall_epochs: int = 8  # val_loss not improved for this many epochs (no rise) -> info "stall"
    overfit_stall_train_drop: float = 0.30  # ... while train loss fell this share meanwhile
    overfit_stall_noise_factor: float = 2.0  # a stall with rise >= overfit_rise and >= this many noise sds warns

    # --- underfitting / over-regularization ------------------------------------------------------
    underfit_skill: float = 0.4  # train skill (acc - chance) / (1 - chance) below this is poor
    underfit_r2: float = 0.2  # an MSE regression: R^2 (1 - MSE / target variance) below this on both sides
    underfit_min_epochs: int = 3  # a run this long but under min_epochs: underfitting judged on its last epoch
    underfit_short_share: float = 0.75  # ... one unaveraged epoch, so below this share of underfit_skill / _r2
    underfit_still_learning: float = 0.10  # loss fell more than this share over the last window: "train longer"
    underfit_low_lr: float = 0.1  # a learning rate at most this share of the optimizer's usual default: "x10" first
    overreg_skill: float = 0.95  # over-regularized when train skill stays below this ...
    overreg_penalty_share: float = 0.30  # ... and the penalty is at least this share of the loss,
    overreg_dropout: float = 0.6  # ... or a dropout rate reaches this,
    overreg_l1: float = 1e-3  # ... or an L1 factor reaches this,
    overreg_l2: float = 1e-2  # ... or an L2 factor reaches this
    overreg_flat_gain: float = 0.01  # train accuracy gained less than this over the last window: stuck
    overreg_creep_gain: float = 0.05  # ... or less than this (a point an epoch) from a skill below underfit_skill

    # --- gradients ------------------------------------------------------------------------------
    vanishing_ratio: float = 0.003  # grad norm of the input-side layer / output layer below this
    exploding_ratio: float = 100.0  # ... above this (input side much larger than output side)
    exploding_growth: float = 100.0  # largest grad norm grew this many times over its first epochs
    sustained_share: float = 0.8  # share of probed epochs in the window where a condition must hold
    probe_window: int = 5  # last probed epochs a gradient/activation condition is judged over

    # --- curves ---------------------------------------------------------------------------------
    divergence_rise: float = 3.0  # end train loss above this many times its minimum (and above epoch 1)
    divergence_chance_factor: float = 10.0  # ... or end (data) loss above this many times the chance loss ...
    divergence_keep_share: float = 0.9  # ... while still at least this share of epoch 1's loss (it stays up)
    oscillation_swing: float = 0.20  # a loss swing: an epoch-to-epoch change above this share of the level
    oscillation_loss_floor: float = 0.05  # ... a level below this counts as this: near-zero losses swing by crumbs
    oscillation_reference_floor: float = 0.2  # ... and below this share of the chance loss (else see RULES.md)
    oscillation_acc_swing: float = 0.10  # an accuracy swing: a change above this (absolute) ...
    oscillation_acc_samples: int = 3  # ... and above this many validation samples' worth (1/n each)
    oscillation_min_swings: int = 3  # at least this many upward swings and as many downward ones ...
    oscillation_min_share: float = 0.4  # ... and swings in at least this share of the epoch-to-epoch moves
    oscillation_warmup: int = 3  # the first epochs (fast initial fall) are not judged
    plateau_window: int = 5  # epochs over which loss-plateau measures the loss change
    plateau_change: float = 0.02  # loss changed less than this share over the window -> plateau
    plateau_min_level: float = 0.3  # ... unless below this share of the chance loss (else of epoch 1's loss)
    plateau_first_level: float = 0.7  # ... of epoch 1's loss, where the chance loss is unknown
    plateau_frozen_change: float = 1e-6  # a loss changing less than this share over the window has stopped training
    plateau_frozen_min_level: float = 0.01  # ... unless below this share of the reference (a perfect fit) ...
    plateau_schedule_decay: float = 0.01  # ... or the logged learning rate fell to this share of its first value
    # (ReduceLROnPlateau, a decay schedule: the schedule finished, the loss did not freeze)
    acc_plateau_min_epochs: int = 10  # accuracy flat for at least this many epochs ...
    acc_plateau_min_share: float = 0.2  # ... and this share of the run ...
    acc_plateau_loss_drop: float = 0.10  # ... while the loss fell at least this share
    acc_plateau_late_drop: float = 0.05  # a loss that fell less over the stretch's second half stopped: note only
    acc_plateau_warn_share: float = 0.5  # warning when the flat stretch covers this share and the end ...
    acc_plateau_near_share: float = 0.05  # ... and this share of probe samples sits just below threshold
    acc_plateau_finished: float = 0.98  # a stretch reaching this accuracy is a finished fit, not a stuck one

    # --- activations ----------------------------------------------------------------------------
    dead_fraction: float = 0.6  # share of ReLU units dead on every probe sample -> warning
    dead_fraction_error: float = 0.99  # ... whole layer dead -> error
    saturated_fraction: float = 0.5  # share of sigmoid/tanh activations pinned at their limits

    # --- what plain curves and the model config show (no data summary, no probes) -----------------------
    first_loss_factor: float = 10.0  # epoch 1's data loss this many times ln k (ln 2): unscaled inputs or bad init
    first_loss_lr: float = 0.05  # ... not blamed on the inputs when the learning rate is at least this
    mismatch_val_share: float = 0.5  # val accuracy below this share of chance while train skill is good
    mismatch_min_epochs: int = 2  # ... over at least this many epochs (a class-ordered split shows from epoch 1)
    pinned_tolerance: float = 0.005  # accuracy within this of its end value from an early epoch on: pinned
    pinned_start_max: int = 3  # ... from this epoch or an earlier one
    pinned_majority_margin: float = 0.15  # a pinned accuracy this far above chance: one class dominates ...
    pinned_entropy_margin: float = 0.1  # ... unless the loss ends this share below the entropy H(a) of that share
    # (a constant guess cannot score below it: the model tells samples apart)
    dead_pinned_share: float = 0.5  # accuracy pinned at chance over this share of the epochs (a mid-run death)
    overreg_val_gap: float = 0.10  # val accuracy above train accuracy by this with dropout >= overreg_gap_dropout
    overreg_gap_dropout: float = 0.5  # ... the dropout rate that gap needs
    dead_curves_min_lr: float = 1e-4  # accuracy pinned at chance with a smaller learning rate is a plateau, not death
    saturation_init_stddev: float = 1.0  # tanh/sigmoid kernels drawn with at least this stddev saturate
    vanishing_config_depth: int = 4  # at least this many sigmoid/tanh hidden layers (and a plateau)

    # --- data -----------------------------------------------------------------------------------
    mismatch_distance: float = 0.25  # total-variation distance train/validation classes -> warning
    mismatch_distance_error: float = 0.5  # ... -> error (also: a validation class absent from training)
    mismatch_noise_factor: float = 2.0  # ... and this many times the distance a random split of its size has
    input_abs_max: float = 10.0  # inputs beyond +-this are not normalised
    input_std_max: float = 5.0  # ... or a standard deviation above this
    imbalance_ratio: float = 3.0  # largest / smallest training class -> info
    imbalance_ratio_warning: float = 10.0  # ... -> warning

    # --- calibration ----------------------------------------------------------------------------
    overconfidence_ece: float = 0.05  # expected calibration error (`ECE_BINS` 10 bins) at least this ...
    overconfidence_gap: float = 0.05  # ... and mean confidence above accuracy by at least this
    overconfidence_min_samples: int = 100  # fewer held-out predictions are judged only ...
    overconfidence_few_samples: int = 20  # ... from this many, where the gap exceeds ...
    overconfidence_noise_z: float = 3.0  # ... this many standard errors of their accuracy
    overconfidence_min_confidence: float = 0.5  # mean confidence at least this far from chance (1/k) to 1
    extreme_probability: float = 0.99  # a max probability above this counts as extreme
    histogram_bins: int = 10  # bins of the per-class P(class) histogram in the evidence
