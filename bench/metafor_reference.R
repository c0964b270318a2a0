# Reference fixtures for pooling/: metafor's own escalc + rma.uni + predict on a set of inputs,
# including zero-event and all-event studies, for every measure x method pooling/ implements.
#
#   apt-get install -y r-base-core r-cran-metafor
#   Rscript bench/metafor_reference.R tests/fixtures/metafor
#
# Writes one JSON file per dataset; tests/test_pooling.py compares against them without needing R.
# tau^2 iterations run to 1e-12 (metafor's default threshold is 1e-5) so agreement is not
# limited by the stopping rule.

suppressPackageStartupMessages(library(metafor))

args <- commandArgs(trailingOnly = TRUE)
out_dir <- if (length(args) >= 1) args[1] else "tests/fixtures/metafor"
dir.create(out_dir, showWarnings = FALSE, recursive = TRUE)

data(dat.pritz1997, package = "metadat")  # metafor >= 3.0 ships its data sets in metadat
datasets <- list(
  pritz1997 = list(xi = dat.pritz1997$xi, ni = dat.pritz1997$ni,
                   note = "dat.pritz1997 (metadat): the worked example of proportions in metafor's docs"),
  zero_events = list(xi = c(0, 3, 5, 0, 12, 20, 7), ni = c(25, 30, 40, 18, 50, 20, 35),
                     note = "two zero-event studies and one all-event study"),
  homogeneous = list(xi = c(10, 11, 9, 10, 12), ni = c(50, 52, 48, 51, 55),
                     note = "tau^2 truncated at zero"),
  corpus_like = list(xi = c(33, 4, 14, 1, 0), ni = c(42, 19, 19, 19, 38),
                     note = "shaped like the bundled corpus: small, very heterogeneous"),
  two_studies = list(xi = c(3, 17), ni = c(20, 24), note = "k = 2")
)
measures <- c("PLO", "PFT", "PAS", "PLN", "PR")
methods <- c("EE", "DL", "REML", "PM")
control <- list(threshold = 1e-12, maxiter = 10000, tol = 1e-12)

num <- function(x) {
  if (length(x) == 0) return("[]")
  vals <- ifelse(is.na(x), "null", sprintf("%.17g", x))
  if (length(x) == 1) vals else paste0("[", paste(vals, collapse = ", "), "]")
}
obj <- function(fields) paste0("{", paste(sprintf("\"%s\": %s", names(fields), unlist(fields)), collapse = ", "), "}")

back <- function(measure, x, ni) {
  switch(measure,
         PLO = transf.ilogit(x), PAS = transf.iarcsin(x), PLN = exp(x), PR = x,
         PFT = transf.ipft.hm(x, targs = list(ni = ni)))
}

for (name in names(datasets)) {
  d <- datasets[[name]]
  fits <- c()
  for (m in measures) {
    es <- escalc(measure = m, xi = d$xi, ni = d$ni)
    for (meth in methods) {
      res <- rma(yi, vi, data = es, method = meth, control = control)
      pr <- predict(res)
      # an EE model has no prediction interval: with tau^2 = 0 it is the confidence interval
      pi_lb <- if (is.null(pr$pi.lb)) pr$ci.lb else pr$pi.lb
      pi_ub <- if (is.null(pr$pi.ub)) pr$ci.ub else pr$pi.ub
      fits <- c(fits, obj(list(
        measure = sprintf("\"%s\"", m), method = sprintf("\"%s\"", meth),
        yi = num(as.numeric(es$yi)), vi = num(as.numeric(es$vi)),
        estimate = num(as.numeric(res$beta)), se = num(res$se), ci_lb = num(res$ci.lb), ci_ub = num(res$ci.ub),
        pi_lb = num(pi_lb), pi_ub = num(pi_ub), tau2 = num(res$tau2), i2 = num(res$I2),
        h2 = num(res$H2), q = num(res$QE), q_p = num(res$QEp), weights = num(as.numeric(weights(res))),
        estimate_back = num(back(m, as.numeric(res$beta), d$ni)),
        ci_lb_back = num(back(m, res$ci.lb, d$ni)), ci_ub_back = num(back(m, res$ci.ub, d$ni)),
        pi_lb_back = num(back(m, pi_lb, d$ni)), pi_ub_back = num(back(m, pi_ub, d$ni))
      )))
    }
  }
  json <- paste0("{\n \"dataset\": \"", name, "\",\n \"note\": \"", d$note, "\",\n \"metafor\": \"",
                 as.character(packageVersion("metafor")), "\",\n \"R\": \"", R.version.string, "\",\n \"xi\": ",
                 num(d$xi), ",\n \"ni\": ", num(d$ni), ",\n \"fits\": [\n  ",
                 paste(fits, collapse = ",\n  "), "\n ]\n}\n")
  writeLines(json, file.path(out_dir, paste0(name, ".json")), sep = "")
}
cat("wrote", length(datasets), "fixtures to", out_dir, "\n")
