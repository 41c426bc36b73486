# The headless experiment runner in a container: the repository with its dependencies, ready to
# run `npm run experiment` (see deploy/experiment-job.yaml for a Kubernetes Indexed Job).
FROM node:20
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build:node
ENTRYPOINT ["node", "dist-node/experiment.mjs"]
CMD ["experiments/paper-digits.json", "--out", "/results/paper-digits"]
