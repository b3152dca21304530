"""Months ahead (``wfm capacity``): headcount against attrition, hiring classes, training and ramp-up.

:mod:`wfm.capacity.settings` reads the capacity file; :mod:`wfm.capacity.outlook` makes the requirement per
week; :mod:`wfm.capacity.flows` follows each class and the staff on hand week by week (linear in the class
sizes); :mod:`wfm.capacity.model` is the least-cost hiring MILP (PuLP + HiGHS), one ``add_...`` per rule;
:mod:`wfm.capacity.run` solves, sweeps and reports."""
