"""What the law asks of a job ad: pay transparency (pay.py) and gender-neutral titles
(titles.py). Pure functions of a posting's fields: the admin form, the review page and the
import pipeline call them, and none of them refuses anything."""
